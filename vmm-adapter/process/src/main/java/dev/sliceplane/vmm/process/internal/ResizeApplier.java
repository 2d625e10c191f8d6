package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.Limits;

/**
 * Carries a resize over to processes already running, where a process-level mechanism
 * exists: a new CPU weight is applied with {@code renice} to every thread (nice is per
 * thread on Linux) and written to each session's autogroup; a new memory limit changes
 * RLIMIT_AS with {@code prlimit}. Best effort: a process that is not root cannot lower a nice
 * value or raise a hard limit, and processes started afterwards get the new values anyway.
 * The guard reads quota, memory and process limits afresh every period, so those need nothing here.
 */
final class ResizeApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ResizeApplier.class);

    private final Host host;
    private final ProcessSettings settings;
    private final EnforcementPolicy policy;

    ResizeApplier(Host host, ProcessSettings settings, EnforcementPolicy policy) {
        this.host = host;
        this.settings = settings;
        this.policy = policy;
    }

    void apply(SliverProcesses processes, Limits before, Limits after) {
        if (processes.isEmpty()) {
            return;
        }
        ProcessTable table = ProcessTable.scan(host.proc());
        if (!Objects.equals(before.cpuWeight(), after.cpuWeight())) {
            renice(processes, table, after.cpuWeight() == null ? host.ownNice() : CpuWeights.niceFor(after.cpuWeight()),
                    after.cpuWeight() == null ? 0 : CpuWeights.niceFor(after.cpuWeight()));
        }
        if (!Objects.equals(before.memoryBytes(), after.memoryBytes()) && settings.addressSpaceFactor() > 0
                && host.tools().prlimit().isPresent()) {
            String limit = after.memoryBytes() == null ? "unlimited"
                    : Long.toString((long) (after.memoryBytes() * settings.addressSpaceFactor()));
            for (ProcStat p : processes.workers(table)) {
                run(List.of(host.tools().prlimit().get(), "--pid", Long.toString(p.pid()), "--as=" + limit + ":" + limit));
            }
        }
    }

    private void renice(SliverProcesses processes, ProcessTable table, int nice, int autogroupNice) {
        if (!policy.canApply(nice) || host.tools().renice().isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(host.tools().renice().get(), "-n", Integer.toString(nice), "-p"));
        int fixed = command.size();
        for (ProcStat p : processes.workers(table)) {
            command.addAll(threads(p.pid()));
        }
        if (command.size() > fixed) {
            run(command);
        }
        if (host.autogroup()) {
            for (SliverProcesses.Program program : processes.programs()) {
                program.session().members(table).stream().filter(ProcStat::alive).findFirst().ifPresent(member ->
                        writeAutogroup(member.pid(), autogroupNice));
            }
        }
    }

    private List<String> threads(long pid) {
        List<String> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(host.proc().resolve(pid + "/task"))) {
            tasks.forEach(t -> tids.add(t.getFileName().toString()));
        } catch (IOException e) {
            // it ended meanwhile
        }
        return tids;
    }

    private void writeAutogroup(long pid, int nice) {
        try {
            Files.writeString(host.proc().resolve(pid + "/autogroup"), Integer.toString(nice));
        } catch (IOException e) {
            LOG.debug("cannot set the autogroup nice of pid {}: {}", pid, e.toString());
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            } else if (p.exitValue() != 0) {
                LOG.debug("{} exited with {}", command.get(0), p.exitValue());
            }
        } catch (IOException e) {
            LOG.debug("cannot run {}: {}", command.get(0), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
