package dev.sliceplane.vmm.simulated.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.Limits;

class FairShareTest {

    private static SliverModel sliver(String name, double demand, int weight) {
        SliverModel s = new SliverModel(name, Rng.derive(1, name), 0, new Limits(null, weight, null, null, null), 64);
        s.demandCores = demand;
        return s;
    }

    private static double share(int cores, SliverModel... all) {
        double total = 0;
        for (SliverModel s : all) {
            total += s.demandCores;
        }
        return SimulatedNode.fairShare(all, cores, total);
    }

    @Test
    void anUncontendedNodeGivesEveryoneItsDemand() {
        SliverModel a = sliver("a", 0.5, 100);
        SliverModel b = sliver("b", 1.25, 100);
        assertEquals(1.75, share(2, a, b), 1e-12);
        assertEquals(0.5, a.allocCores);
        assertEquals(1.25, b.allocCores);
    }

    @Test
    void contendedCoresAreSharedByWeight() {
        SliverModel light = sliver("light", 4, 100);
        SliverModel heavy = sliver("heavy", 4, 300);
        assertEquals(2, share(2, light, heavy), 1e-12);
        assertEquals(0.5, light.allocCores, 1e-12);
        assertEquals(1.5, heavy.allocCores, 1e-12);
    }

    @Test
    void whatSmallDemandsLeaveGoesToTheOthers() {
        SliverModel small = sliver("small", 0.1, 100);
        SliverModel idle = sliver("idle", 0, 100);
        SliverModel a = sliver("a", 5, 100);
        SliverModel b = sliver("b", 5, 300);
        assertEquals(3, share(3, small, idle, a, b), 1e-12);
        assertEquals(0.1, small.allocCores, 1e-12);
        assertEquals(0, idle.allocCores);
        assertEquals(2.9 / 4, a.allocCores, 1e-12);
        assertEquals(2.9 * 3 / 4, b.allocCores, 1e-12);
    }

    @Test
    void levelsRiseInSeveralRounds() {
        // c wants more than the first level (0.5) but less than the second (0.75), once a and b are served.
        SliverModel a = sliver("a", 0.2, 100);
        SliverModel b = sliver("b", 0.3, 100);
        SliverModel c = sliver("c", 0.6, 100);
        SliverModel d = sliver("d", 9, 100);
        assertEquals(2, share(2, a, b, c, d), 1e-12);
        assertEquals(0.2, a.allocCores, 1e-12);
        assertEquals(0.3, b.allocCores, 1e-12);
        assertEquals(0.6, c.allocCores, 1e-12);
        assertEquals(0.9, d.allocCores, 1e-12);
    }
}
