package dev.sliceplane.vmm.simulated;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of a simulated node, read from {@link dev.sliceplane.vmm.spi.BackendContext#settings()}.
 * Every key is optional; unknown keys are ignored. Sizes take a plain number of bytes or a binary
 * suffix ({@code 512MiB}, {@code 32GiB}, {@code 1TiB}).
 *
 * @param seed            {@value #SEED}: the model's seed (decimal, or hex with {@code 0x}); default 0
 * @param cores           {@value #CORES}: CPU cores, in [1, 4096]; default 8
 * @param memoryBytes     {@value #MEMORY_BYTES}: physical memory, at least 64 MiB; default 32 GiB
 * @param diskBytes       {@value #DISK_BYTES}: the filesystem holding sliver homes, at least 1 GiB; default 1 TiB
 * @param interfaces      {@value #INTERFACES}: network interfaces, comma-separated; default {@code eth0}.
 *                        Slivers' traffic is counted on the first
 * @param persist         {@value #PERSIST}: keep records under the state directory so a re-opened
 *                        backend re-attaches to its slivers; {@code false} touches no file at all
 *                        (for thousand-node simulations); default true
 * @param oomRate         {@value #OOM_RATE}: random OOM kills per running sliver-hour; default 0
 * @param crashRate       {@value #CRASH_RATE}: random program crashes per running sliver-hour; default 0
 * @param failingCommands {@value #FAILING_COMMANDS}: executables that "do not exist": launching one,
 *                        or anything under one, is {@code LAUNCH_FAILED}; comma-separated, empty
 *                        for none; default {@code /nonexistent}
 */
public record SimulationSettings(long seed, int cores, long memoryBytes, long diskBytes, List<String> interfaces,
                                 boolean persist, double oomRate, double crashRate, List<String> failingCommands) {

    public static final String SEED = "seed";
    public static final String CORES = "cores";
    public static final String MEMORY_BYTES = "memoryBytes";
    public static final String DISK_BYTES = "diskBytes";
    public static final String INTERFACES = "interfaces";
    public static final String PERSIST = "persist";
    public static final String OOM_RATE = "oomRate";
    public static final String CRASH_RATE = "crashRate";
    public static final String FAILING_COMMANDS = "failingCommands";

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** Every setting at its default. */
    public static final SimulationSettings DEFAULTS = new SimulationSettings(0, 8, 32 * GIB, 1024 * GIB,
            List.of("eth0"), true, 0, 0, List.of("/nonexistent"));

    public SimulationSettings {
        if (cores < 1 || cores > 4096) {
            throw new IllegalArgumentException("cores must be in [1, 4096], was " + cores);
        }
        if (memoryBytes < 64 * MIB) {
            throw new IllegalArgumentException("memoryBytes must be at least 64 MiB, was " + memoryBytes);
        }
        if (diskBytes < GIB) {
            throw new IllegalArgumentException("diskBytes must be at least 1 GiB, was " + diskBytes);
        }
        interfaces = List.copyOf(interfaces);
        if (interfaces.isEmpty() || interfaces.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("interfaces must name at least one interface, was " + interfaces);
        }
        requireRate(OOM_RATE, oomRate);
        requireRate(CRASH_RATE, crashRate);
        failingCommands = List.copyOf(failingCommands);
    }

    /**
     * Reads settings from a backend context's map.
     *
     * @throws IllegalArgumentException naming the setting that is not valid
     */
    public static SimulationSettings from(Map<String, String> settings) {
        SimulationSettings d = DEFAULTS;
        return new SimulationSettings(
                parse(settings, SEED, d.seed, SimulationSettings::parseLong),
                parse(settings, CORES, d.cores, Integer::parseInt),
                parse(settings, MEMORY_BYTES, d.memoryBytes, SimulationSettings::parseBytes),
                parse(settings, DISK_BYTES, d.diskBytes, SimulationSettings::parseBytes),
                parse(settings, INTERFACES, d.interfaces, SimulationSettings::parseList),
                parse(settings, PERSIST, d.persist, SimulationSettings::parseBoolean),
                parse(settings, OOM_RATE, d.oomRate, Double::parseDouble),
                parse(settings, CRASH_RATE, d.crashRate, Double::parseDouble),
                parse(settings, FAILING_COMMANDS, d.failingCommands, SimulationSettings::parseList));
    }

    /** These settings as a backend context's map; {@link #from(Map)} reads it back unchanged. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SEED, Long.toString(seed));
        map.put(CORES, Integer.toString(cores));
        map.put(MEMORY_BYTES, Long.toString(memoryBytes));
        map.put(DISK_BYTES, Long.toString(diskBytes));
        map.put(INTERFACES, String.join(",", interfaces));
        map.put(PERSIST, Boolean.toString(persist));
        map.put(OOM_RATE, Double.toString(oomRate));
        map.put(CRASH_RATE, Double.toString(crashRate));
        map.put(FAILING_COMMANDS, String.join(",", failingCommands));
        return map;
    }

    public SimulationSettings withSeed(long newSeed) {
        return new SimulationSettings(newSeed, cores, memoryBytes, diskBytes, interfaces, persist, oomRate, crashRate,
                failingCommands);
    }

    public SimulationSettings withPersist(boolean newPersist) {
        return new SimulationSettings(seed, cores, memoryBytes, diskBytes, interfaces, newPersist, oomRate, crashRate,
                failingCommands);
    }

    public SimulationSettings withCapacity(int newCores, long newMemoryBytes, long newDiskBytes) {
        return new SimulationSettings(seed, newCores, newMemoryBytes, newDiskBytes, interfaces, persist, oomRate,
                crashRate, failingCommands);
    }

    public SimulationSettings withFailureRates(double newOomRate, double newCrashRate) {
        return new SimulationSettings(seed, cores, memoryBytes, diskBytes, interfaces, persist, newOomRate,
                newCrashRate, failingCommands);
    }

    /** Whether launching this executable fails, by {@link #failingCommands()}. */
    public boolean failsToLaunch(String executable) {
        for (String failing : failingCommands) {
            if (executable.equals(failing) || executable.startsWith(failing.endsWith("/") ? failing : failing + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A byte count with an optional binary suffix: {@code 1048576}, {@code 512MiB}, {@code 32GiB}. */
    public static long parseBytes(String text) {
        String t = text.trim();
        String[] suffixes = {"KiB", "MiB", "GiB", "TiB"};
        for (int i = suffixes.length - 1; i >= 0; i--) {
            if (t.endsWith(suffixes[i])) {
                long number = Long.parseLong(t.substring(0, t.length() - 3).trim());
                return Math.multiplyExact(number, 1L << (10 * (i + 1)));
            }
        }
        return Long.parseLong(t);
    }

    private static long parseLong(String text) {
        String t = text.trim();
        return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }

    private static boolean parseBoolean(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw new IllegalArgumentException("not true or false: '" + text + "'");
        }
        return t.equals("true");
    }

    private static List<String> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void requireRate(String key, double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(key + " must be a finite rate per sliver-hour, at least 0, was " + rate);
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Map<String, String> settings, String key, T defaultValue, Parser<T> parser) {
        String text = settings.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return parser.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("setting '" + key + "' is not valid: '" + text + "' (" + e.getMessage()
                    + ")", e);
        }
    }
}
