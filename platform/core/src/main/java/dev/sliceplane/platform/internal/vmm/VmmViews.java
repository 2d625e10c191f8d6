package dev.sliceplane.platform.internal.vmm;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Enforcement;
import dev.sliceplane.vmm.api.Limit;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmSnapshot;

/** The JSON shapes of the VMM routes: paths as plain strings, usage beside each sliver. */
final class VmmViews {

    private VmmViews() {
    }

    record Overview(BackendInfo backend, boolean simulated, NodeCapacity capacity, Instant sampledAt,
                    Long sampleSequence, NodeStatus node, int slivers) {
    }

    record Program(String id, long pid, List<String> command, Instant started, String stdout, String stderr,
                   boolean running, Integer exitCode) {
    }

    record Sliver(String name, Limits limits, Map<Limit, Enforcement> enforcement, String home, Instant created,
                  List<Program> programs, Instant sampledAt, SliverUsage usage) {
    }

    static Overview overview(Vmm vmm, Optional<VmmSnapshot> sample) {
        BackendInfo backend = vmm.backend();
        return new Overview(backend, backend.simulated(), vmm.capacity(),
                sample.map(VmmSnapshot::at).orElse(null), sample.map(VmmSnapshot::sequence).orElse(null),
                sample.map(VmmSnapshot::node).orElse(null), sample.map(s -> s.slivers().size()).orElse(0));
    }

    static Sliver sliver(SliverInfo info, Optional<VmmSnapshot> sample) {
        List<Program> programs = info.programs().stream().map(VmmViews::program).toList();
        return new Sliver(info.name(), info.limits(), info.enforcement(), info.home().toString(), info.created(),
                programs, sample.map(VmmSnapshot::at).orElse(null),
                sample.flatMap(s -> s.sliver(info.name())).orElse(null));
    }

    private static Program program(ProgramInfo p) {
        return new Program(p.id(), p.pid(), p.command(), p.started(), p.stdout().toString(), p.stderr().toString(),
                p.running(), p.exitCode());
    }
}
