package dev.sliceplane.cli.commands;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.ExitCodes;
import dev.sliceplane.client.DeployReport;
import dev.sliceplane.client.DeployRequest;
import dev.sliceplane.client.ProgramSpec;
import dev.sliceplane.platform.api.acquisition.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slice deploy|status|renew|resize|release}: the service manager on the command line,
 * over {@link dev.sliceplane.client.ServiceManager}. Each prints one row per node (or
 * {@code --json}) and exits 1 when any node failed.
 */
final class SliceAcquisitionCommands {

    private SliceAcquisitionCommands() {
    }

    @Command(name = "deploy", description = {
            "Gets N slivers from the broker, redeems each ticket at its node and starts COMMAND in each sliver.",
            "A node that fails does not stop the others; the leases granted are kept unless --all-or-nothing.",
            "Example: slice deploy princeton_codeen --count 3 --memory 512MiB -- python3 -m http.server"})
    static final class Deploy extends AcquisitionCommand {
        @Parameters(index = "0", paramLabel = "SLICE")
        String slice;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "COMMAND",
                description = "The program and its arguments, after --; without one only the leases are taken.")
        List<String> command = List.of();

        @Option(names = "--count", required = true, paramLabel = "N", description = "How many nodes (one sliver each).")
        int count;

        @Option(names = "--cpu", paramLabel = "CORES", defaultValue = "0.5", description = "CPU per sliver, in cores (default: ${DEFAULT-VALUE}).")
        double cpu;

        @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "256MiB", converter = Sizes.class,
                description = "Memory per sliver (default: 256MiB).")
        long memory;

        @Option(names = "--processes", paramLabel = "N", defaultValue = "64", description = "Processes per sliver (default: ${DEFAULT-VALUE}).")
        int processes;

        @Option(names = "--disk", paramLabel = "SIZE", defaultValue = "1GiB", converter = Sizes.class,
                description = "Disk per sliver (default: 1GiB).")
        long disk;

        @Option(names = "--where", paramLabel = "QUERY", description = "Only nodes matching this, e.g. 'site!=mit and mem_free>=1GiB'.")
        String where;

        @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.class,
                description = "How long the leases last, e.g. 1h or 2d (default: the broker's).")
        Duration duration;

        @Option(names = "--partial", description = "Take fewer than N nodes when fewer match, instead of failing.")
        boolean partial;

        @Option(names = "--all-or-nothing", description = "When any node fails, release the leases the others granted.")
        boolean allOrNothing;

        @Option(names = "--env", paramLabel = "NAME=VALUE", description = "An environment variable for COMMAND; repeat for more.")
        Map<String, String> environment = Map.of();

        @Option(names = "--workdir", paramLabel = "DIR", description = "Where COMMAND runs, relative to the sliver's home.")
        String workingDirectory;

        Deploy(Environment env) {
            super(env);
        }

        @Override
        void act() {
            if (count < 1) {
                throw new CliException(ExitCodes.USAGE, "--count must be at least 1, was " + count);
            }
            DeployRequest request = DeployRequest.of(slice, count, resources(cpu, memory, processes, disk))
                    .where(where).lasting(duration).acceptingFewer(partial).allOrNothing(allOrNothing);
            if (!command.isEmpty()) {
                request = request.running(new ProgramSpec(command, environment, workingDirectory));
            } else if (!environment.isEmpty() || workingDirectory != null) {
                throw new CliException(ExitCodes.USAGE, "--env and --workdir need a COMMAND (after --)");
            }
            DeployReport report = manager().deploy(request);

            ObjectNode json = object().put("slice", report.slice()).put("requested", report.requested())
                    .put("rolledBack", report.rolledBack());
            json.set("nodes", SliceReports.nodes(json(), report.nodes()));
            print(json, report.nodes(), "no nodes");
            if (report.nodes().size() < report.requested() && !report.anyFailed()) {
                env.err().println("sliceplane: the broker found " + report.nodes().size() + " of the " + report.requested()
                        + " nodes asked for");
            }
            if (report.anyFailed()) {
                int failed = report.failed().size();
                int kept = report.holding().size();
                String outcome = report.rolledBack() ? "; all-or-nothing: released the leases granted"
                        : kept == 0 ? ""
                        : kept == 1 ? "; the lease granted is kept (see 'slice status', 'slice release')"
                        : "; the " + kept + " leases granted are kept (see 'slice status', 'slice release')";
                throw new CliException(ExitCodes.FAILED, failed + " of " + report.nodes().size() + " nodes failed" + outcome);
            }
        }
    }

    @Command(name = "status", description = "Shows, for each node the slice has tickets for, its lease there and the programs in the sliver.")
    static final class Status extends AcquisitionCommand {
        @Parameters(paramLabel = "SLICE")
        String slice;

        Status(Environment env) {
            super(env);
        }

        @Override
        void act() {
            report(manager().status(slice));
        }
    }

    @Command(name = "renew", description = "Renews the slice's lease on every node that holds one (each node's policy may cap the end).")
    static final class Renew extends AcquisitionCommand {
        @Parameters(paramLabel = "SLICE")
        String slice;

        @Option(names = "--duration", required = true, paramLabel = "DURATION", converter = Durations.class,
                description = "The new end, from now: e.g. 2h, 1d.")
        Duration duration;

        Renew(Environment env) {
            super(env);
        }

        @Override
        void act() {
            report(manager().renew(slice, duration));
        }
    }

    @Command(name = "resize", description = "Changes the slice's sliver on every node that holds a lease; what is not given stays.")
    static final class Resize extends AcquisitionCommand {
        @Parameters(paramLabel = "SLICE")
        String slice;

        @Option(names = "--cpu", paramLabel = "CORES", description = "CPU in cores.")
        Double cpu;

        @Option(names = "--memory", paramLabel = "SIZE", converter = Sizes.class, description = "Memory, e.g. 512MiB.")
        Long memory;

        @Option(names = "--processes", paramLabel = "N", description = "Processes.")
        Integer processes;

        @Option(names = "--disk", paramLabel = "SIZE", converter = Sizes.class, description = "Disk, e.g. 2GiB.")
        Long disk;

        Resize(Environment env) {
            super(env);
        }

        @Override
        void act() {
            if (cpu == null && memory == null && processes == null && disk == null) {
                throw new CliException(ExitCodes.USAGE, "nothing to resize: give --cpu, --memory, --processes or --disk");
            }
            resources(cpu == null ? 0 : cpu, 0, processes == null ? 0 : processes, 0);
            UnaryOperator<Resources> change = current -> new Resources(cpu == null ? current.cpu() : cpu,
                    memory == null ? current.memory() : memory, processes == null ? current.processes() : processes,
                    disk == null ? current.disk() : disk);
            report(manager().resize(slice, change));
        }
    }

    @Command(name = "release", description = "Releases the slice's leases on every node; their slivers are destroyed.")
    static final class Release extends AcquisitionCommand {
        @Parameters(paramLabel = "SLICE")
        String slice;

        Release(Environment env) {
            super(env);
        }

        @Override
        void act() {
            report(manager().release(slice));
        }
    }

    /** Checked here so a negative amount is a usage error, not a failure on every node. */
    static Resources resources(double cpu, long memory, int processes, long disk) {
        try {
            return new Resources(cpu, memory, processes, disk);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
