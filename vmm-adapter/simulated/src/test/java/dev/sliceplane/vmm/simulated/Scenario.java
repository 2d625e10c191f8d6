package dev.sliceplane.vmm.simulated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;

/**
 * A busy hour on a contended simulated node: slivers with and without limits, random failures,
 * injections, stops, relaunches, a resize, a destroy and a late creation. Every call depends
 * only on what the backend reported, so two backends with the same seed must see the same trace.
 */
final class Scenario {

    static final long MIB = 1L << 20;
    static final int PASSES = 360;
    static final long STEP_SECONDS = 10;

    /** What a run observed, compared field by field (records compare doubles exactly). */
    record Trace(List<List<SliverUsage>> usage, List<NodeStatus> node, List<VmmEvent> events) {
        Trace {
            usage = List.copyOf(usage);
            node = List.copyOf(node);
            events = List.copyOf(events);
        }
    }

    static Map<String, String> settings(long seed, boolean persist) {
        return Sim.settings("seed", Long.toString(seed), "cores", "4", "memoryBytes", "8GiB", "oomRate", "1",
                "crashRate", "1", "persist", Boolean.toString(persist));
    }

    static void setUp(Sim sim) {
        SimulatedBackend b = sim.backend;
        b.create(new SliverSpec("princeton_codeen", Limits.NONE));
        b.create(new SliverSpec("mit_ron", new Limits(0.5, null, null, null, null)));
        b.create(new SliverSpec("berkeley_oceanstore", new Limits(null, 300, 512 * MIB, null, null)));
        b.create(new SliverSpec("cmu_esm", new Limits(2.0, 50, null, 8, 64 * MIB)));
        b.create(new SliverSpec("uw_scriptroute", new Limits(1.0, null, 128 * MIB, 4, 16 * MIB)));
        b.create(new SliverSpec("intel_pier", new Limits(null, 1000, 1024 * MIB, null, null)));
        for (int i = 0; i < 8; i++) {
            b.create(new SliverSpec("slice_" + i, new Limits(0.25 * (i + 1), 100 + 50 * i, (256L + 128 * i) * MIB,
                    null, null)));
        }
        for (SliverInfo s : b.list()) {
            b.launch(s.name(), ProgramSpec.of("/usr/bin/service", s.name()));
        }
        b.launch("princeton_codeen", ProgramSpec.of("/usr/bin/helper"));
        b.launch("slice_3", ProgramSpec.of("/usr/bin/helper"));
    }

    /** Passes {@code from} (inclusive) to {@code to} (exclusive). */
    static void run(Sim sim, int from, int to, List<List<SliverUsage>> usage, List<NodeStatus> node) {
        SimulatedBackend b = sim.backend;
        for (int pass = from; pass < to; pass++) {
            sim.clock.advance(Duration.ofSeconds(STEP_SECONDS));
            switch (pass) {
                case 40 -> {
                    b.injectOomKill("princeton_codeen");
                    b.injectProgramCrash("mit_ron", 139);
                    b.injectForkLimit("cmu_esm");
                }
                case 100 -> b.stop("intel_pier", Duration.ofSeconds(5));
                case 150 -> b.resize("slice_7", new Limits(0.5, 100, 128 * MIB, null, null));
                case 200 -> b.destroy("slice_2");
                case 210 -> {
                    b.create(new SliverSpec("late_arrival", new Limits(1.0, null, null, null, null)));
                    b.launch("late_arrival", ProgramSpec.of("/usr/bin/service"));
                }
                case 250 -> b.kill("cmu_esm");
                default -> {
                }
            }
            List<SliverUsage> sample = b.usage();
            usage.add(sample);
            node.add(b.nodeStatus().orElseThrow());
            if (pass % 30 == 29) {
                // Relaunch what stopped, so the failures keep coming.
                for (SliverUsage u : sample) {
                    if (u.state() == dev.sliceplane.vmm.api.SliverState.IDLE) {
                        b.launch(u.name(), ProgramSpec.of("/usr/bin/service", "again"));
                    }
                }
            }
        }
    }

    static Trace fullRun(Sim sim) {
        List<List<SliverUsage>> usage = new ArrayList<>();
        List<NodeStatus> node = new ArrayList<>();
        setUp(sim);
        run(sim, 0, PASSES, usage, node);
        return new Trace(usage, node, sim.events);
    }

    private Scenario() {
    }
}
