package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;

import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.DiscoveryListener;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

/**
 * Real JGroups channels on loopback in one JVM, real signatures: members converge on one view of
 * verified adverts, a member whose credential the authority did not issue never enters anyone's
 * view, and a member that leaves is gone from the others' views in bounded time.
 */
class GroupMemberTest {

    /** This test's ports (the engineer's range): transports from here, failure detection 50 above. */
    private static final int BASE_PORT = 18500;
    private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(40);

    private final TestAuthority authority = new TestAuthority("https://plc.test");
    /** A group of this test's own: a run elsewhere on the same ports (another checkout) cannot join it. */
    private final String cluster = "disc-jgroups-test-" + java.util.UUID.randomUUID();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<GroupMember> members = new ArrayList<>();

    @AfterEach
    void closeAll() {
        members.forEach(GroupMember::close);
        executor.shutdownNow();
    }

    @Test
    void fourMembersConvergeOnTheSameViewOfVerifiedAdverts() throws Exception {
        List<String> hostnames = List.of("n0.test", "n1.test", "n2.test", "n3.test");
        for (int i = 0; i < hostnames.size(); i++) {
            start(authority.node(hostnames.get(i)), i, 4, events -> { });
        }

        await(() -> "every member sees all four: " + views(),
                () -> members.stream().allMatch(m -> hostnames(m).equals(hostnames)));
        for (GroupMember member : members) {
            assertEquals(0, member.rejected(), "no advert of a rightly credentialed member is rejected");
            NodeAdvert self = member.self().orElseThrow();
            NodeAdvert seen = members.get(0).node(self.hostname()).orElseThrow();
            assertEquals(self.url(), seen.url());
            assertEquals(self.slivers(), seen.slivers());
        }
    }

    @Test
    void aNewcomerIsSentTheOthersAdvertsWhileTheOthersReceiveOnlyItsOwn() throws Exception {
        List<String> first = List.of("n0.test", "n1.test", "n2.test");
        for (int i = 0; i < first.size(); i++) {
            start(authority.node(first.get(i)), i, 4, events -> { });
        }
        await(() -> "the first three converge: " + views(),
                () -> members.stream().allMatch(m -> hostnames(m).equals(first)));
        long[] before = awaitQuiet();

        GroupMember newcomer = start(authority.node("n3.test"), 3, 4, events -> { });
        List<String> all = List.of("n0.test", "n1.test", "n2.test", "n3.test");
        await(() -> "all four converge: " + views(),
                () -> members.stream().allMatch(m -> hostnames(m).equals(all)));
        long[] after = awaitQuiet();

        // Nobody re-multicasts on the view change: the newcomer learnt the others' adverts from unicasts.
        for (int i = 0; i < first.size(); i++) {
            assertEquals(1, after[i] - before[i], first.get(i) + " received only the newcomer's advert");
        }
        assertEquals(3, newcomer.received(), "the newcomer received one unicast from each other member, and nothing else");
    }

    /** Waits until no member receives anything for a second; answers each member's count of received adverts. */
    private long[] awaitQuiet() throws InterruptedException {
        long[] last = null;
        while (true) {
            long[] now = members.stream().mapToLong(GroupMember::received).toArray();
            if (java.util.Arrays.equals(now, last)) {
                return now;
            }
            last = now;
            Thread.sleep(1000);
        }
    }

    @Test
    void aPreparedMemberHoldsNoPortAndIsNoMemberUntilItJoins() throws Exception {
        GroupMember first = start(authority.node("n0.test"), 0, 2, events -> { });
        // A member's own advert reaches its node set asynchronously, after start() returns.
        await(() -> "n0 lists itself: " + views(), () -> hostnames(first).equals(List.of("n0.test")));
        GroupMember later = member(authority.node("n1.test"), 1, 2, events -> { }, authority);
        assertThrows(IllegalStateException.class, later::join, "join() needs a prepared channel");

        later.prepare();
        assertFalse(later.joined(), "prepared, not joined");
        assertEquals(0, later.viewSize());
        // Its transport's port is still free: the sockets are bound by join(), not by prepare().
        try (ServerSocket probe = new ServerSocket(BASE_PORT + 1, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(probe.isBound());
        }
        assertEquals(List.of("n0.test"), hostnames(first), "the group has not heard of the prepared member");

        later.join();
        assertTrue(later.joined());
        await(() -> "both see both once the prepared member joined: " + views(),
                () -> members.stream().allMatch(m -> hostnames(m).equals(List.of("n0.test", "n1.test"))));
    }

    @Test
    void aMemberWithAForgedCredentialNeverEntersTheView() throws Exception {
        start(authority.node("n0.test"), 0, 3, events -> { });
        start(authority.node("n1.test"), 1, 3, events -> { });
        // The forger believes in its own authority (so it sends), which the others never heard of.
        TestAuthority rogue = new TestAuthority("https://plc.test");
        GroupMember forger = start(rogue.node("n2.test"), 2, 3, events -> { }, rogue);

        await("the honest members see each other, and the forger's adverts are refused",
                () -> hostnames(members.get(0)).equals(List.of("n0.test", "n1.test"))
                        && hostnames(members.get(1)).equals(List.of("n0.test", "n1.test"))
                        && members.get(0).rejected() > 0 && members.get(1).rejected() > 0);
        assertEquals(3, members.get(0).viewSize(), "the forger is in the engine's group, not in discovery's view");
        assertFalse(members.get(0).node("n2.test").isPresent());
        await("the forger sees itself but rejects the honest members' adverts in turn",
                () -> hostnames(forger).equals(List.of("n2.test")) && forger.rejected() > 0);
    }

    @Test
    void aMemberThatLeavesIsGoneFromTheOthersViewsAndTheirListenersAreTold() throws Exception {
        List<ViewEvent> told = new CopyOnWriteArrayList<>();
        ListenerCalls calls = new ListenerCalls(executor);
        calls.add(new DiscoveryListener() {
            @Override
            public void joined(NodeAdvert node) {
                told.add(new ViewEvent.Joined(node));
            }

            @Override
            public void left(String hostname, boolean declaredDead) {
                told.add(new ViewEvent.Left(hostname, declaredDead));
            }
        }, List.of());
        start(authority.node("n0.test"), 0, 3, calls::tell);
        start(authority.node("n1.test"), 1, 3, events -> { });
        GroupMember leaving = start(authority.node("n2.test"), 2, 3, events -> { });
        await(() -> "all three converge: " + views(),
                () -> members.stream().allMatch(m -> hostnames(m).size() == 3));

        long closedAt = System.nanoTime();
        leaving.close();
        await("the others no longer list n2.test",
                () -> members.subList(0, 2).stream().allMatch(m -> m.node("n2.test").isEmpty()));
        Duration took = Duration.ofNanos(System.nanoTime() - closedAt);
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "a clean leave is seen within 15 s, took " + took);
        await(() -> "n0's listener was told n2 joined, then left cleanly: " + told,
                () -> told.contains(new ViewEvent.Left("n2.test", false))
                        && told.stream().anyMatch(e -> e instanceof ViewEvent.Joined j && j.node().hostname().equals("n2.test")));
        assertEquals(told.stream().filter(e -> e instanceof ViewEvent.Left l && l.declaredDead()).count(),
                members.get(0).counters().declaredDead(), "a clean leave is not counted as a death: " + told);
    }

    @Test
    void aMemberThatFallsSilentIsSuspectedThenDeclaredDeadAndRejoinsWhenThePartitionHeals() throws Exception {
        List<ViewEvent> seenByN0 = new CopyOnWriteArrayList<>();
        start(authority.node("n0.test"), 0, 3, seenByN0::addAll);
        start(authority.node("n1.test"), 1, 3, events -> { });
        GroupMember silent = start(authority.node("n2.test"), 2, 3, events -> { });
        await(() -> "all three converge: " + views(),
                () -> members.stream().allMatch(m -> hostnames(m).size() == 3));
        Blackhole blackhole = new Blackhole();
        silent.channel().getProtocolStack().insertProtocol(blackhole, ProtocolStack.Position.ABOVE, TP.class);

        long silentAt = System.nanoTime();
        blackhole.close();
        await("n0 suspects n2 before it excludes it", () -> seenByN0.stream().anyMatch(e -> e instanceof ViewEvent.Changed c
                && c.node().hostname().equals("n2.test") && c.node().liveness() == Liveness.SUSPECT));
        await("n0 and n1 declared n2 dead",
                () -> members.subList(0, 2).stream().allMatch(m -> m.node("n2.test").isEmpty())
                        && seenByN0.contains(new ViewEvent.Left("n2.test", true)));
        Duration took = Duration.ofNanos(System.nanoTime() - silentAt);
        // 3 s without heartbeats, 1.5 s of verification, then the new view: well inside 20 s.
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "declared dead within 20 s, took " + took);
        assertEquals(List.of("n0.test", "n1.test"), hostnames(members.get(1)));
        DiscoveryCounters counted = members.get(0).counters();
        assertEquals(1, counted.declaredDead());
        // One advert from each other member (a member's own advert goes to the others, not back to itself).
        assertTrue(counted.advertsReceived() >= 2 && counted.advertsRejected() == 0, counted.toString());
        assertTrue(counted.bytesSent() > 0 && counted.bytesReceived() > 0, "the transport's traffic: " + counted);
        await("n2, alone now, drops the others in turn", () -> hostnames(silent).equals(List.of("n2.test")));

        blackhole.open();
        List<String> all = List.of("n0.test", "n1.test", "n2.test");
        await("the views merge (MERGE3) and everyone sees all three ALIVE again",
                () -> members.stream().allMatch(m -> hostnames(m).equals(all)
                        && m.nodes().stream().allMatch(n -> n.liveness() == Liveness.ALIVE)));
        assertTrue(seenByN0.stream().filter(e -> e instanceof ViewEvent.Joined j && j.node().hostname().equals("n2.test"))
                .count() >= 2, "n0's listener saw n2 join twice: " + seenByN0);
    }

    private GroupMember start(TestAuthority.TestNode node, int index, int groupSize,
            java.util.function.Consumer<List<ViewEvent>> events) throws Exception {
        return start(node, index, groupSize, events, authority);
    }

    private GroupMember start(TestAuthority.TestNode node, int index, int groupSize,
            java.util.function.Consumer<List<ViewEvent>> events, TestAuthority trusted) throws Exception {
        GroupMember member = member(node, index, groupSize, events, trusted);
        member.start();
        return member;
    }

    /** A member that has not started: nothing created, nothing bound. */
    private GroupMember member(TestAuthority.TestNode node, int index, int groupSize,
            java.util.function.Consumer<List<ViewEvent>> events, TestAuthority trusted) {
        String seeds = IntStream.range(0, groupSize).mapToObj(i -> "127.0.0.1[" + (BASE_PORT + i) + "]")
                .collect(Collectors.joining(","));
        StackConfig stack = new StackConfig("127.0.0.1", BASE_PORT + index, 0, seeds, Duration.ofSeconds(3),
                Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofSeconds(1));
        AdvertContent content = new AdvertContent(URI.create("http://127.0.0.1:" + (18400 + index)), List.of("node"),
                "test", "", 2, 0.1, 0.5, 1L << 30, 1L << 29, 10L << 30, 5L << 30, index, "UP");
        GroupMember member = new GroupMember(new GroupMember.Settings(cluster, stack, Duration.ofMinutes(1)),
                node, new AdvertCodec(trusted, Clock.systemUTC()), () -> CompletableFuture.completedFuture(content),
                events, executor);
        members.add(member);
        return member;
    }

    /** What each member holds, for a failure message: the engine's view size and the verified hosts. */
    private String views() {
        return members.stream().map(m -> m.viewSize() + " in the engine's view, verified " + hostnames(m))
                .collect(Collectors.joining("; "));
    }

    private static List<String> hostnames(GroupMember member) {
        return member.nodes().stream().map(NodeAdvert::hostname).toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(() -> what, condition);
    }

    /** Awaits the condition; the failure says {@code what}, computed then (so it can show the state reached). */
    private static void await(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGED_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not within " + CONVERGED_WITHIN + ": " + what.get());
    }
}
