package dev.sliceplane.discovery.jgroups.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.simulated.SimulatedCluster;

/**
 * SIMULATION: N discovery members in one JVM. Each is a real {@link GroupMember} with its own node
 * key and a credential from one test authority, signing and verifying real adverts over the
 * product's JGroups stack; what each advertises comes from its own node of a seeded
 * {@link SimulatedCluster} (the simulated VMM backend), stepped every advert period. The transport
 * is JGroups' in-JVM SHARED_LOOPBACK ({@link SimulatedStack}: no sockets, no FD_SOCK2) or the
 * product's own loopback TCP stack, unchanged. Members run on one shared executor, not on a slice
 * each as on a node.
 *
 * <p>A member's "crash" here is a member that falls silent (nothing in or out, as a hung node or a
 * cut link); with the TCP transport its failure-detection sockets are also closed, as a killed
 * process's are.
 */
final class DiscoverySimulation implements AutoCloseable {

    /**
     * @param transport          {@code shared} (in-JVM) or {@code tcp} (the product's stack on loopback)
     * @param basePort           with {@code tcp}: member i listens on basePort + i (failure detection 50 above)
     * @param loss               with {@code shared}: the share of messages each member drops on receipt
     * @param sharedVerification whether members share one cache of verified texts (see {@link VerifiedTexts});
     *                           false: each member verifies every advert itself, as a separate node would
     * @param stableGossip       with {@code shared}: STABLE's gossip period instead of the product's, or null
     *                           (see {@link SimulatedStack#sharedLoopback})
     */
    record Options(int members, String transport, int basePort, long seed, Duration failureTimeout,
                   Duration verifyTimeout, Duration joinTimeout, Duration mergeInterval, Duration advertEvery,
                   double loss, boolean sharedVerification, int threads, Duration stableGossip) {

        static Options defaults(int members) {
            return new Options(members, "shared", 27800, 1, Duration.ofSeconds(4), Duration.ofMillis(1500),
                    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), 0, true, 4, null);
        }

        Options withFailureTimeout(Duration timeout) {
            return new Options(members, transport, basePort, seed, timeout, verifyTimeout, joinTimeout, mergeInterval,
                    advertEvery, loss, sharedVerification, threads, stableGossip);
        }
    }

    /** One simulated member: its host name and its membership. */
    record Member(String hostname, GroupMember membership) {
    }

    private final Options options;
    private final TestAuthority authority = new TestAuthority("https://plc.sim");
    private final VerifiedTexts shared = new VerifiedTexts(authority);
    private final SimulatedCluster vmm;
    private volatile List<VmmSnapshot> figures;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Member> members = new ArrayList<>();
    private final List<Blackhole> blackholes = new ArrayList<>();
    private final String cluster;
    /** Members removed from some member's view after a suspicion (declared dead), and suspicions raised. */
    private final AtomicLong declaredDead = new AtomicLong();
    private final AtomicLong suspicions = new AtomicLong();

    DiscoverySimulation(Options options) {
        this.options = options;
        this.cluster = "disc-sim-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.executor = Executors.newFixedThreadPool(options.threads());
        this.vmm = SimulatedCluster.of(options.seed(), options.members(), 3);
        this.figures = vmm.step(Duration.ofSeconds(10));
        long period = options.advertEvery().toMillis();
        // The simulated nodes' figures move on between adverts: one VMM step per advert period.
        timer.scheduleWithFixedDelay(() -> figures = vmm.step(options.advertEvery()), period, period,
                TimeUnit.MILLISECONDS);
        for (int i = 0; i < options.members(); i++) {
            members.add(create(i));
            blackholes.add(null);
        }
    }

    /**
     * Creates the channels of members {@code from}..{@code to-1} without joining (see
     * {@link GroupMember#prepare()}), so that a later {@link #start(int)} only connects them.
     */
    void prepare(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            members.get(i).membership().prepare();
        }
    }

    /** Starts member {@code index} (creating its channel unless {@link #prepare prepared}): it joins the group (or founds it). Blocks until it has. */
    void start(int index) throws Exception {
        GroupMember member = members.get(index).membership();
        member.start();
        // The transport's message statistics (bytes per member per second) are off unless asked for.
        member.channel().getProtocolStack().getTransport().getMessageStats().enable(true);
        long period = options.advertEvery().toMillis();
        timer.scheduleWithFixedDelay(member::advertise, ThreadLocalRandom.current().nextLong(period), period,
                TimeUnit.MILLISECONDS);
    }

    /** Starts members {@code from}..{@code to-1} at once, {@code parallelism} joining at a time. */
    void startAll(int from, int to, int parallelism) throws Exception {
        ExecutorService starters = Executors.newFixedThreadPool(parallelism);
        try {
            List<CompletableFuture<Void>> started = IntStream.range(from, to).mapToObj(i -> CompletableFuture.runAsync(() -> {
                try {
                    start(i);
                } catch (Exception e) {
                    throw new IllegalStateException("member " + i + " could not start", e);
                }
            }, starters)).toList();
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } finally {
            starters.shutdown();
        }
    }

    List<Member> members() {
        return members;
    }

    /** Whether every member in {@code indexes} sees exactly {@code expected} verified nodes, all ALIVE, and a group of that size. */
    boolean converged(List<Integer> indexes, int expected) {
        for (int i : indexes) {
            GroupMember m = members.get(i).membership();
            if (m.nodeCount() != expected || m.viewSize() != expected) {
                return false;
            }
        }
        return true;
    }

    /**
     * For a round that did not converge: each member whose engine view or verified view is short of
     * {@code expected}, with its view size and the host names it holds no advert from.
     */
    String missing(int expected) {
        java.util.Set<String> all = members.stream().map(Member::hostname).collect(Collectors.toSet());
        return members.stream().filter(m -> m.membership().nodeCount() != expected || m.membership().viewSize() != expected)
                .map(m -> {
                    java.util.Set<String> lacking = new java.util.TreeSet<>(all);
                    m.membership().nodes().forEach(node -> lacking.remove(node.hostname()));
                    return m.hostname() + "(view " + m.membership().viewSize() + ", no advert from " + lacking + ")";
                }).collect(Collectors.joining("; ", "short: ", ""));
    }

    /** For a round that did not converge: what the engine holds between each short member and those it lacks. */
    String diagnose(int expected) {
        return StallDiagnosis.describe(members, expected);
    }

    /** Whether no member in {@code indexes} lists {@code hostname} any more. */
    boolean forgotten(List<Integer> indexes, String hostname) {
        return indexes.stream().allMatch(i -> members.get(i).membership().node(hostname).isEmpty());
    }

    /** Whether every member in {@code indexes} sees every node it knows ALIVE. */
    boolean allAlive(List<Integer> indexes) {
        return indexes.stream().allMatch(i -> members.get(i).membership().nodes().stream()
                .allMatch(n -> n.liveness() == Liveness.ALIVE));
    }

    /**
     * Member {@code index} falls silent: it hears and says nothing from now on. With the TCP
     * transport its failure-detection server closes too, as a killed process's sockets would.
     */
    void crash(int index) throws Exception {
        JChannel channel = members.get(index).membership().channel();
        Blackhole blackhole = new Blackhole();
        channel.getProtocolStack().insertProtocol(blackhole, ProtocolStack.Position.ABOVE, TP.class);
        blackhole.close();
        blackholes.set(index, blackhole);
        FD_SOCK2 sockets = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
        if (sockets != null) {
            sockets.stop();
        }
    }

    /** Joined members, and the smallest and largest engine view and verified view among them, for progress reports. */
    String progress() {
        var views = members.stream().map(Member::membership).filter(GroupMember::joined)
                .mapToInt(GroupMember::viewSize).summaryStatistics();
        var nodes = members.stream().map(Member::membership).filter(GroupMember::joined)
                .mapToInt(GroupMember::nodeCount).summaryStatistics();
        return String.format(java.util.Locale.ROOT, "%d joined, engine views %d..%d, verified views %d..%d",
                views.getCount(), views.getMin(), views.getMax(), nodes.getMin(), nodes.getMax());
    }

    long declaredDead() {
        return declaredDead.get();
    }

    long suspicions() {
        return suspicions.get();
    }

    /** Bytes the members' transports received, summed (JGroups' own figures: payloads and headers, no IP/TCP). */
    long bytesReceived() {
        return members.stream().map(m -> m.membership().channel()).filter(c -> c != null)
                .mapToLong(c -> c.getProtocolStack().getTransport().getMessageStats().getNumBytesReceived()).sum();
    }

    /** Bytes the members' transports sent, summed. */
    long bytesSent() {
        return members.stream().map(m -> m.membership().channel()).filter(c -> c != null)
                .mapToLong(c -> c.getProtocolStack().getTransport().getMessageStats().getNumBytesSent()).sum();
    }

    /** Signature checks avoided or made, for the report: adverts rejected across members (should be 0). */
    long rejected() {
        return members.stream().mapToLong(m -> m.membership().rejected()).sum();
    }

    private Member create(int index) {
        String hostname = String.format("%s.sim", vmm.nodes().get(index).name());
        TestAuthority.TestNode node = authority.node(hostname, "site" + (index % 10), Duration.ofHours(2));
        StackConfig stack = new StackConfig("127.0.0.1", options.basePort() + index, 0, seeds(),
                options.failureTimeout(), options.verifyTimeout(), options.joinTimeout(), options.mergeInterval());
        String xml = options.transport().equals("tcp") ? SimulatedStack.tcp(stack)
                : SimulatedStack.sharedLoopback(stack, options.loss(), options.stableGossip());
        AdvertCodec codec = new AdvertCodec(options.sharedVerification() ? shared : new VerifiedTexts(authority),
                Clock.systemUTC());
        URI url = URI.create("http://" + hostname + ":8080");
        Consumer<List<ViewEvent>> events = changes -> changes.forEach(this::count);
        Duration validity = options.advertEvery().multipliedBy(6).compareTo(Duration.ofMinutes(1)) < 0
                ? Duration.ofMinutes(1) : options.advertEvery().multipliedBy(6);
        GroupMember member = new GroupMember(new GroupMember.Settings(cluster, () -> SimulatedStack.stream(xml), validity),
                node, codec, () -> CompletableFuture.completedFuture(content(index, url)), events, executor);
        return new Member(hostname, member);
    }

    private void count(ViewEvent event) {
        if (event instanceof ViewEvent.Left left && left.declaredDead()) {
            declaredDead.incrementAndGet();
        } else if (event instanceof ViewEvent.Changed changed && changed.node().liveness() == Liveness.SUSPECT) {
            suspicions.incrementAndGet();
        }
    }

    /** What member {@code index} advertises: its simulated node's latest figures. */
    private AdvertContent content(int index, URI url) {
        VmmSnapshot snapshot = figures.get(index);
        var node = snapshot.node();
        return new AdvertContent(url, List.of("node"), "simulated", "", node.cores(), node.cpuBusy(), node.load1(),
                node.memTotalBytes(), node.memAvailableBytes(), node.disk().sizeBytes(), node.disk().availBytes(),
                snapshot.slivers().size(), "UP");
    }

    private String seeds() {
        // TCPPING's seeds (the TCP transport only): the first few members, as a deployment names a few.
        return IntStream.range(0, Math.min(3, options.members()))
                .mapToObj(i -> "127.0.0.1[" + (options.basePort() + i) + "]").collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        members.forEach(m -> m.membership().close());
        executor.shutdownNow();
        vmm.close();
    }
}
