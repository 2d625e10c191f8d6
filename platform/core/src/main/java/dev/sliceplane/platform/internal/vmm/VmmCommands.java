package dev.sliceplane.platform.internal.vmm;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmSnapshot;

/**
 * Sliver commands for the operator at the node's shell ({@code vmm:info}, {@code vmm:slivers},
 * {@code vmm:create}, {@code vmm:launch}, {@code vmm:halt}, {@code vmm:kill}, {@code vmm:resize},
 * {@code vmm:destroy}). Limits are written {@code cpu=0.2 memory=64MiB processes=50 disk=1GiB weight=100}.
 */
@Component(service = VmmCommands.class, property = {
    "osgi.command.scope=vmm",
    "osgi.command.function=info",
    "osgi.command.function=slivers",
    "osgi.command.function=create",
    "osgi.command.function=launch",
    "osgi.command.function=halt",
    "osgi.command.function=kill",
    "osgi.command.function=resize",
    "osgi.command.function=destroy"
})
public final class VmmCommands {

    private final Vmm vmm;

    @Activate
    public VmmCommands(@Reference Vmm vmm) {
        this.vmm = vmm;
    }

    public String info() {
        BackendInfo backend = vmm.backend();
        StringBuilder out = new StringBuilder();
        out.append("backend     ").append(backend.name()).append(backend.simulated() ? " (SIMULATION)" : "")
                .append('\n').append("detail      ").append(backend.detail()).append('\n')
                .append("capacity    ").append(vmm.capacity().cores()).append(" cores, ")
                .append(Sizes.format(vmm.capacity().memoryBytes())).append(" memory, ")
                .append(Sizes.format(vmm.capacity().diskBytes())).append(" disk\n");
        backend.enforcement().forEach((limit, how) -> out.append(String.format("%-11s %s%n",
                limit.name().toLowerCase(Locale.ROOT), how)));
        return out.toString();
    }

    public String slivers() {
        // An operator at the shell wants the figures of now, not of the last scheduled sample.
        Optional<VmmSnapshot> sample = Optional.of(vmm.sample());
        StringBuilder out = new StringBuilder(String.format("%-24s %-8s %10s %10s %6s %10s %s%n",
                "SLIVER", "STATE", "CPU-S", "MEMORY", "PROCS", "DISK", "LIMITS"));
        for (SliverInfo sliver : vmm.list()) {
            Optional<SliverUsage> usage = sample.flatMap(s -> s.sliver(sliver.name()));
            out.append(String.format(Locale.ROOT, "%-24s %-8s %10s %10s %6s %10s %s%n", sliver.name(),
                    usage.map(u -> u.state().name()).orElse("-"),
                    usage.map(u -> String.format(Locale.ROOT, "%.2f", u.cpuSeconds())).orElse("-"),
                    usage.map(u -> Sizes.format(u.memoryBytes())).orElse("-"),
                    usage.map(u -> Integer.toString(u.processes())).orElse("-"),
                    usage.map(u -> Sizes.format(u.diskBytes())).orElse("-"), describe(sliver.limits())));
        }
        return out.toString();
    }

    public String create(String name, String... limits) {
        SliverInfo sliver = vmm.create(new SliverSpec(name, parseLimits(Limits.NONE, limits)));
        return "created " + sliver.name() + " (" + describe(sliver.limits()) + "), home " + sliver.home();
    }

    public String launch(String sliver, String... command) {
        ProgramInfo program = vmm.launch(sliver, new ProgramSpec(Arrays.asList(command), Map.of(), ""));
        return "launched " + program.id() + " (pid " + program.pid() + "); output in " + program.stdout();
    }

    /** Named {@code halt}, not {@code stop}: an unscoped {@code stop 0} must stay the framework's. */
    public String halt(String sliver, int graceSeconds) {
        vmm.stop(sliver, Duration.ofSeconds(graceSeconds));
        return "stopped every process in " + sliver;
    }

    public String kill(String sliver) {
        vmm.kill(sliver);
        return "killed every process in " + sliver;
    }

    public String resize(String sliver, String... limits) {
        SliverInfo current = vmm.find(sliver).orElseThrow(() -> new IllegalArgumentException("no sliver " + sliver));
        SliverInfo resized = vmm.resize(sliver, parseLimits(current.limits(), limits));
        return "resized " + sliver + " to " + describe(resized.limits());
    }

    public String destroy(String sliver) {
        vmm.destroy(sliver);
        return "destroyed " + sliver;
    }

    /** Applies {@code key=value} limits on top of {@code base}; {@code key=none} removes one. */
    static Limits parseLimits(Limits base, String... assignments) {
        Limits limits = base;
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("limits are key=value (cpu, weight, memory, processes, disk), "
                        + "was '" + assignment + "'");
            }
            String key = assignment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = assignment.substring(eq + 1).trim();
            boolean none = value.equals("none");
            limits = switch (key) {
                case "cpu" -> limits.withCpuCores(none ? null : Double.valueOf(value));
                case "weight" -> limits.withCpuWeight(none ? null : Integer.valueOf(value));
                case "memory" -> limits.withMemoryBytes(none ? null : Sizes.parse(value));
                case "processes" -> limits.withMaxProcesses(none ? null : Integer.valueOf(value));
                case "disk" -> limits.withDiskBytes(none ? null : Sizes.parse(value));
                default -> throw new IllegalArgumentException("unknown limit '" + key
                        + "' (cpu, weight, memory, processes, disk)");
            };
        }
        return limits;
    }

    static String describe(Limits limits) {
        if (limits.asMap().isEmpty()) {
            return "no limits";
        }
        StringBuilder out = new StringBuilder();
        if (limits.cpuCores() != null) {
            out.append("cpu=").append(limits.cpuCores()).append(' ');
        }
        if (limits.cpuWeight() != null) {
            out.append("weight=").append(limits.cpuWeight()).append(' ');
        }
        if (limits.memoryBytes() != null) {
            out.append("memory=").append(Sizes.format(limits.memoryBytes())).append(' ');
        }
        if (limits.maxProcesses() != null) {
            out.append("processes=").append(limits.maxProcesses()).append(' ');
        }
        if (limits.diskBytes() != null) {
            out.append("disk=").append(Sizes.format(limits.diskBytes())).append(' ');
        }
        return out.toString().trim();
    }
}
