package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.sliceplane.discovery.api.NodeAdvert;

/**
 * SIMULATION: a hundred discovery members in one JVM ({@link DiscoverySimulation}) converge on one
 * view of verified adverts carrying their simulated nodes' figures, and drop a member that falls
 * silent. The big runs (500, 1,000 members) are {@code bench/discovery-bench.sh}'s.
 */
class DiscoverySimulationTest {

    private static final int MEMBERS = 100;
    private static final Duration WITHIN = Duration.ofSeconds(45);

    @Test
    void aHundredSimulatedMembersConvergeAndDropOneThatFallsSilent() throws Exception {
        DiscoverySimulation.Options options = DiscoverySimulation.Options.defaults(MEMBERS)
                .withFailureTimeout(Duration.ofSeconds(3));
        try (DiscoverySimulation sim = new DiscoverySimulation(options)) {
            List<Integer> all = IntStream.range(0, MEMBERS).boxed().toList();
            sim.start(0);
            sim.startAll(1, MEMBERS, 16);
            await("all " + MEMBERS + " members hold every member's verified advert", () -> sim.converged(all, MEMBERS));
            assertEquals(0, sim.rejected(), "no advert of a rightly credentialed member is rejected");

            GroupMember observer = sim.members().get(0).membership();
            DiscoverySimulation.Member other = sim.members().get(42);
            NodeAdvert seen = observer.node(other.hostname()).orElseThrow();
            assertEquals("simulated", seen.version(), "the advert is the simulated node's");
            assertEquals(32L << 30, seen.memTotal(), "the simulated node's memory (its default 32 GiB)");
            assertEquals(3, seen.slivers(), "the simulated node runs three slivers");
            // The figures move on with every advert period, so the observer catches up with the latest one said.
            await("the observer holds member 42's latest free memory", () -> observer.node(other.hostname())
                    .map(NodeAdvert::memAvailable).equals(other.membership().self().map(NodeAdvert::memAvailable)));

            int victim = MEMBERS - 1;
            String hostname = sim.members().get(victim).hostname();
            List<Integer> others = all.subList(0, victim);
            sim.crash(victim);
            await("no other member lists the silent one, and the rest still see each other ALIVE",
                    () -> sim.forgotten(others, hostname) && sim.converged(others, MEMBERS - 1) && sim.allAlive(others));
            // It said no goodbye: every survivor reports a death, not a departure.
            await("every survivor declared it dead", () -> others.stream()
                    .allMatch(i -> sim.members().get(i).membership().counters().declaredDead() >= 1));
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WITHIN + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
