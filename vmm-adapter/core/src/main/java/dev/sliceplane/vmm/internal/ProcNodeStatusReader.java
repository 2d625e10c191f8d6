package dev.sliceplane.vmm.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.NodeStatus.CpuTimes;
import dev.sliceplane.vmm.api.NodeStatus.Filesystem;
import dev.sliceplane.vmm.api.NodeStatus.NetworkCounters;

/**
 * Reads the node's status from /proc and /sys the way Prometheus node_exporter does (same
 * files, same units: /proc/stat ticks at USER_HZ 100, /proc/meminfo kB times 1024, statfs
 * blocks for filesystems), so the figures agree with {@code node_*} metrics.
 *
 * <p>The root is a parameter so tests can point it at a fixture tree. Not thread-safe: the
 * previous CPU reading (for {@code cpuBusy}) and the data directory's filesystem are kept; the
 * VMM calls it from one thread.
 */
public final class ProcNodeStatusReader {

    /** node_exporter assumes USER_HZ = 100, as does every mainstream Linux architecture. */
    private static final double USER_HZ = 100.0;

    private final Path proc;
    private final Path sys;
    private final Path dataDirectory;
    private final Clock clock;
    private CpuTimes previousCpu;
    private FileStore store;
    private String mountPoint;

    public ProcNodeStatusReader(Path proc, Path sys, Path dataDirectory, Clock clock) {
        this.proc = proc;
        this.sys = sys;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
    }

    public static ProcNodeStatusReader forThisMachine(Path dataDirectory) {
        return new ProcNodeStatusReader(Path.of("/proc"), Path.of("/sys"), dataDirectory, Clock.systemUTC());
    }

    public NodeStatus read() throws IOException {
        String[] load = Files.readString(proc.resolve("loadavg")).trim().split("\\s+");
        List<String> stat = Files.readAllLines(proc.resolve("stat"));
        CpuTimes cpu = cpuTimes(stat);
        Double busy = busyFraction(previousCpu, cpu);
        previousCpu = cpu;
        Map<String, Long> memory = meminfo();
        double bootTime = bootTime(stat);
        double uptime = Double.parseDouble(Files.readString(proc.resolve("uptime")).trim().split("\\s+")[0]);
        return new NodeStatus(clock.instant(), false, onlineCpus(), Double.parseDouble(load[0]),
                Double.parseDouble(load[1]), Double.parseDouble(load[2]), cpu, busy,
                memory.getOrDefault("MemTotal", 0L), memory.getOrDefault("MemAvailable", 0L),
                memory.getOrDefault("SwapTotal", 0L), memory.getOrDefault("SwapFree", 0L),
                filesystem(), bootTime, uptime, networkCounters());
    }

    private static CpuTimes cpuTimes(List<String> stat) {
        for (String line : stat) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                return new CpuTimes(ticks(f, 1), ticks(f, 2), ticks(f, 3), ticks(f, 4), ticks(f, 5), ticks(f, 6),
                        ticks(f, 7), ticks(f, 8));
            }
        }
        throw new IllegalStateException("no cpu line in /proc/stat");
    }

    private static double ticks(String[] fields, int index) {
        return index < fields.length ? Long.parseLong(fields[index]) / USER_HZ : 0;
    }

    static Double busyFraction(CpuTimes before, CpuTimes now) {
        if (before == null) {
            return null;
        }
        double total = now.total() - before.total();
        if (total <= 0) {
            return 0.0;
        }
        return Math.max(0, Math.min(1, (now.busy() - before.busy()) / total));
    }

    private static double bootTime(List<String> stat) {
        return stat.stream().filter(l -> l.startsWith("btime "))
                .mapToDouble(l -> Double.parseDouble(l.substring(6).trim())).findFirst().orElse(0);
    }

    private Map<String, Long> meminfo() throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            long number = Long.parseLong(value[0]);
            values.put(line.substring(0, colon), value.length > 1 && value[1].equals("kB") ? number * 1024 : number);
        }
        return values;
    }

    private int onlineCpus() throws IOException {
        Path online = sys.resolve("devices/system/cpu/online");
        if (!Files.isReadable(online)) {
            return Runtime.getRuntime().availableProcessors();
        }
        return countCpus(Files.readString(online).trim());
    }

    /** Counts a kernel CPU list such as {@code 0-3,8,10-11}. */
    static int countCpus(String list) {
        int count = 0;
        for (String range : list.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }

    private Filesystem filesystem() throws IOException {
        // Where the data directory lives does not change while the node runs: find it once,
        // then each reading is one statfs.
        if (store == null) {
            Files.createDirectories(dataDirectory);
            store = Files.getFileStore(dataDirectory);
            mountPoint = mountPoint(dataDirectory.toRealPath());
        }
        return new Filesystem(mountPoint, store.name(), store.type(), store.getTotalSpace(),
                store.getUnallocatedSpace(), store.getUsableSpace());
    }

    /** The longest mount point in /proc/self/mountinfo that contains the path. */
    private String mountPoint(Path path) throws IOException {
        Path mountinfo = proc.resolve("self/mountinfo");
        String best = "/";
        if (!Files.isReadable(mountinfo)) {
            return best;
        }
        for (String line : Files.readAllLines(mountinfo)) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            String mount = fields[4].replace("\\040", " ");
            if (path.startsWith(mount) && mount.length() > best.length()) {
                best = mount;
            }
        }
        return best;
    }

    private List<NetworkCounters> networkCounters() throws IOException {
        Path dev = proc.resolve("net/dev");
        List<NetworkCounters> counters = new ArrayList<>();
        if (!Files.isReadable(dev)) {
            return counters;
        }
        for (String line : Files.readAllLines(dev)) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            counters.add(new NetworkCounters(line.substring(0, colon).trim(), Long.parseLong(f[0]),
                    Long.parseLong(f[8])));
        }
        return counters;
    }
}
