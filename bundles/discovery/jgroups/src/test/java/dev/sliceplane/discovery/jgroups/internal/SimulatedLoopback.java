package dev.sliceplane.discovery.jgroups.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.util.AsciiString;
import org.jgroups.util.DefaultThreadFactory;
import org.jgroups.util.ThreadPool;
import org.jgroups.util.TimeScheduler3;

/**
 * SIMULATION: JGroups' in-JVM transport, SHARED_LOOPBACK, without its one lock on every send.
 * SHARED_LOOPBACK looks receivers up, and hands a message to every member, while it holds a lock
 * shared by every channel of the JVM; with hundreds of members all their traffic (heartbeats,
 * merge probes, adverts) queued on that lock until the simulation stalled. This transport keeps
 * its own concurrent copy of each group's members, updated when a member connects or leaves
 * (SHARED_LOOPBACK's table still serves its discovery, SHARED_LOOPBACK_PING), and sends without
 * any lock. Each receiver reads the bytes before {@code receive} returns, as SHARED_LOOPBACK relies
 * on too.
 *
 * <p>The simulated members also share one JGroups thread pool and one timer, as JGroups 3's shared
 * transport did; a real node has its own. With a pool and a timer thread each, a thousand members
 * ran some 2,500 threads and spent most of the CPU creating and parking them (thread dumps: hundreds
 * of threads in {@code Thread.start} from {@code ThreadPool.execute}, 35–43 % system time), and the
 * joins crawled. Every protocol above still schedules and cancels its own tasks as on a node.
 */
public class SimulatedLoopback extends SHARED_LOOPBACK {

    /** JGroups numbers each protocol class (its headers name it by number); ours is outside JGroups' own range. */
    static final short ID = 1792;

    private static final Map<AsciiString, Map<Address, SimulatedLoopback>> GROUPS = new ConcurrentHashMap<>();

    static {
        if (ClassConfigurator.getProtocolId(SimulatedLoopback.class) == 0) {
            ClassConfigurator.addProtocol(ID, SimulatedLoopback.class);
        }
    }

    /** The members' shared thread pool: busy threads grow to the bound, then the sender runs the task itself. */
    private static final Executor SHARED_POOL = sharedPool();
    private static final SharedTimer SHARED_TIMER = new SharedTimer(SHARED_POOL);

    /** Makes sure the class, and so its protocol number, is registered before a stack names it. */
    static void register() {
        // the static initializer did it
    }

    @Override
    public void init() throws Exception {
        setTimer(SHARED_TIMER); // before TP's init, which creates a timer only when none is set
        super.init();
    }

    @Override
    public void start() throws Exception {
        // After init: the pool component is created when the stack initialises its components.
        setThreadPool(SHARED_POOL);
        super.start();
    }

    @Override
    public Object down(Event event) {
        Object result = super.down(event);
        int type = event.getType();
        if (type == Event.CONNECT || type == Event.CONNECT_WITH_STATE_TRANSFER) {
            GROUPS.computeIfAbsent(cluster_name, name -> new ConcurrentHashMap<>()).put(local_addr, this);
        } else if (type == Event.DISCONNECT) {
            leave();
        }
        return result;
    }

    @Override
    public void stop() {
        leave();
        super.stop();
    }

    private void leave() {
        Map<Address, SimulatedLoopback> members = cluster_name == null ? null : GROUPS.get(cluster_name);
        if (members != null && local_addr != null) {
            members.remove(local_addr, this);
        }
    }

    @Override
    public void sendToAll(byte[] data, int offset, int length) throws Exception {
        Map<Address, SimulatedLoopback> members = GROUPS.get(cluster_name);
        if (members == null) {
            return;
        }
        for (Map.Entry<Address, SimulatedLoopback> member : members.entrySet()) {
            if (!Objects.equals(local_addr, member.getKey())) {
                try {
                    member.getValue().receive(local_addr, data, offset, length);
                } catch (Throwable t) {
                    log.error("%s: delivering to %s failed", local_addr, member.getKey(), t);
                }
            }
        }
    }

    @Override
    protected void sendTo(Address destination, byte[] data, int offset, int length) throws Exception {
        Map<Address, SimulatedLoopback> members = GROUPS.get(cluster_name);
        SimulatedLoopback receiver = members == null ? null : members.get(destination);
        if (receiver != null) {
            receiver.receive(local_addr, data, offset, length);
        }
    }

    private static Executor sharedPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "sim-jgroups-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 64, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads,
                new ThreadPoolExecutor.CallerRunsPolicy());
        // A plain Executor, not an ExecutorService: a member's transport shuts its pool down when it stops.
        return pool::execute;
    }

    /** The members' one timer; a member's transport stops its timer when it stops, which must not stop the others'. */
    private static final class SharedTimer extends TimeScheduler3 {

        SharedTimer(Executor pool) {
            super(new ThreadPool().setThreadPool(pool), new DefaultThreadFactory("sim-jgroups", true), true);
        }

        @Override
        public synchronized void stop() {
            // shared: each member's protocols cancel their own tasks when they stop
        }

        @Override
        public void setThreadFactory(org.jgroups.util.ThreadFactory factory) {
            // shared: not renamed after each member that starts
        }
    }
}
