package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Facts about this machine that the backend needs, found once when it opens.
 *
 * @param proc           the proc filesystem, normally {@code /proc}
 * @param uid            the real user id the backend runs as
 * @param ticksPerSecond {@code USER_HZ}, from {@code getconf CLK_TCK} (100 if that fails)
 * @param pageSize       from {@code getconf PAGESIZE} (4096 if that fails)
 * @param bootId         the kernel's boot id; a start time means nothing across boots
 * @param ownNice        the JVM's nice value: launched programs start from it
 * @param autogroup      whether the scheduler groups each session (kernel.sched_autogroup_enabled)
 * @param tools          the programs the backend runs
 */
record Host(Path proc, long uid, int ticksPerSecond, long pageSize, String bootId, int ownNice, boolean autogroup,
            Tools tools) {

    /**
     * Absolute paths of the programs the backend runs; optional ones are empty when missing.
     *
     * @param shell   {@code /bin/sh}, runs the supervisors and the signal helper
     * @param setsid  starts each program's session
     * @param mv      renames the exit file into place
     * @param nice    applies CPU weight at launch
     * @param renice  applies a changed CPU weight to running processes
     * @param prlimit applies a changed address-space limit to running processes
     */
    record Tools(String shell, String setsid, String mv, Optional<String> nice, Optional<String> renice,
                 Optional<String> prlimit) {
    }

    private static final List<String> SYSTEM_PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    boolean root() {
        return uid == 0;
    }

    /**
     * Looks at the machine.
     *
     * @throws IllegalStateException when something the backend cannot do without is missing
     */
    static Host detect(Path proc) {
        String setsid = find("setsid").orElseThrow(() -> new IllegalStateException("setsid (util-linux) not found"));
        String mv = find("mv").orElseThrow(() -> new IllegalStateException("mv not found"));
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            throw new IllegalStateException("/bin/sh not found");
        }
        Tools tools = new Tools("/bin/sh", setsid, mv, find("nice"), find("renice"), find("prlimit"));
        try {
            String status = ProcFiles.read(proc.resolve("self/status"));
            long uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> Long.parseLong(l.substring(4).trim().split("\\s+")[0]))
                    .orElseThrow(() -> new IllegalStateException("no Uid in " + proc + "/self/status"));
            String bootId = ProcFiles.read(proc.resolve("sys/kernel/random/boot_id")).trim();
            int nice = ProcessTable.read(proc, ProcessHandle.current().pid()).map(ProcStat::nice).orElse(0);
            Path autogroupSwitch = proc.resolve("sys/kernel/sched_autogroup_enabled");
            boolean autogroup = Files.exists(autogroupSwitch) && ProcFiles.read(autogroupSwitch).trim().equals("1");
            return new Host(proc, uid, (int) getconf("CLK_TCK", 100), getconf("PAGESIZE", 4096), bootId, nice,
                    autogroup, tools);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + proc + ": " + e.getMessage(), e);
        }
    }

    /** Seconds since boot now, in ticks, on the clock that process start times use. */
    long uptimeTicks() {
        try {
            String first = ProcFiles.read(proc.resolve("uptime")).trim().split("\\s+")[0];
            return (long) (Double.parseDouble(first) * ticksPerSecond);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + proc + "/uptime", e);
        }
    }

    /** A program on the system path or the JVM's PATH, or empty. */
    static Optional<String> find(String program) {
        Set<String> dirs = new LinkedHashSet<>(SYSTEM_PATH);
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static long getconf(String variable, long fallback) {
        Optional<String> getconf = find("getconf");
        if (getconf.isEmpty()) {
            return fallback;
        }
        try {
            Process p = new ProcessBuilder(getconf.get(), variable).redirectErrorStream(true).start();
            List<String> out = new ArrayList<>(new String(p.getInputStream().readAllBytes()).lines().toList());
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return Long.parseLong(out.get(0).trim());
            }
        } catch (IOException | RuntimeException e) {
            // fall back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fallback;
    }
}
