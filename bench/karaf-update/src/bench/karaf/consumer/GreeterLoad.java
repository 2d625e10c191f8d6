package bench.karaf.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.sliceplane.it.bundles.greeter.api.Greeter;

/**
 * Calls Greeter in a tight loop (bench.threads threads, default 1) through a
 * dynamic, greedy, optional reference, and counts good calls, calls that found
 * no service and calls that threw, plus every outage (time from the last good
 * call before a failure to the next good call).
 */
@Component(immediate = true, service = {})
public class GreeterLoad {
    private volatile Greeter greeter;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindGreeter(Greeter g) {
        greeter = g;
        State.ref("bound", "none").set(name(g));
        State.events().add("bind " + System.nanoTime() + " " + name(g));
    }

    void unbindGreeter(Greeter g) {
        long now = System.nanoTime();
        if (greeter == g) {
            greeter = null;
            State.ref("bound", "none").set("none");
        }
        State.events().add("unbind " + now + " " + name(g));
    }

    private static String name(Greeter g) {
        Bundle b = FrameworkUtil.getBundle(g.getClass());
        return b == null ? g.getClass().getName() : b.getSymbolicName() + "#" + b.getBundleId();
    }

    @Activate
    void activate() {
        State.adder("activations").increment();
        State.loaders().put(System.identityHashCode(getClass().getClassLoader()), Boolean.TRUE);
        int n = Integer.getInteger("bench.threads", 1);
        running = true;
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::loop, "bench-greeter-load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        State.adder("deactivations").increment();
        running = false;
        for (Thread t : threads) {
            t.join(2000);
        }
        threads.clear();
    }

    private void loop() {
        final LongAdder ok = State.adder("ok");
        final LongAdder noService = State.adder("nosvc");
        final LongAdder threw = State.adder("threw");
        final ConcurrentLinkedQueue<long[]> gaps = State.gaps();
        final ConcurrentHashMap<Long, Long> open = State.open();
        final ConcurrentHashMap<String, LongAdder> errors = State.errors();
        final AtomicReference<String> lastError = State.ref("lastError", "-");
        final long tid = Thread.currentThread().getId();
        long lastOk = System.nanoTime();
        boolean inGap = false;
        long gapStart = 0, gapNoService = 0, gapThrew = 0;
        while (running) {
            Greeter g = greeter;
            boolean good = false;
            if (g == null) {
                noService.increment();
                gapNoService++;
            } else {
                try {
                    g.greet("bench");
                    good = true;
                } catch (Throwable t) {
                    threw.increment();
                    gapThrew++;
                    errors.computeIfAbsent(t.getClass().getName(), k -> new LongAdder()).increment();
                    lastError.set(String.valueOf(t));
                }
            }
            if (good) {
                long now = System.nanoTime();
                ok.increment();
                if (inGap) {
                    gaps.add(new long[] { gapStart, now, gapNoService, gapThrew, tid });
                    open.remove(tid);
                    inGap = false;
                }
                lastOk = now;
            } else {
                if (!inGap) {
                    inGap = true;
                    gapStart = lastOk;
                    open.put(tid, gapStart);
                }
                if (g == null) {
                    Thread.onSpinWait();
                }
            }
            if (!good) {
                continue;
            }
            // reset per-outage counters only once an outage is closed
            gapNoService = 0;
            gapThrew = 0;
        }
    }
}
