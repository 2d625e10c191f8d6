package dev.sliceplane.platform.internal.slice;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.sliceplane.platform.api.slice.SliceHeader;
import dev.sliceplane.platform.api.slice.SliceLimits;

/**
 * A parsed {@value SliceHeader#NAME} manifest header: the slice name and its limits. Parsing is
 * strict, so a typo in a bundle's header is reported rather than silently defaulted.
 */
record SliceDeclaration(String name, SliceLimits limits) {

    private static final Pattern NAME = Pattern.compile(SliceHeader.NAME_PATTERN);
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    /**
     * Parses a header value such as {@code mgmt_monitor; cpu=0.25; threads=4; queue=1000; data=64MiB}.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    static SliceDeclaration parse(String header) {
        String[] parts = header.split(";");
        String name = parts[0].trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("slice name '" + name + "' must match " + SliceHeader.NAME_PATTERN);
        }
        double cpu = SliceHeader.DEFAULT_CPU;
        int threads = SliceHeader.DEFAULT_THREADS;
        int queue = SliceHeader.DEFAULT_QUEUE;
        long data = SliceHeader.DEFAULT_DATA_BYTES;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("attribute '" + part + "' has no value");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim().replace("\"", "");
            try {
                switch (key) {
                    case SliceHeader.CPU: cpu = Double.parseDouble(value); break;
                    case SliceHeader.THREADS: threads = Integer.parseInt(value); break;
                    case SliceHeader.QUEUE: queue = Integer.parseInt(value); break;
                    case SliceHeader.DATA: data = parseSize(value); break;
                    default: throw new IllegalArgumentException("unknown attribute '" + key + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("attribute " + key + "=" + value + " is not a number");
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("attribute " + key + "=" + value + " is too large");
            }
        }
        return new SliceDeclaration(name, new SliceLimits(cpu, threads, queue, data));
    }

    static long parseSize(String value) {
        var m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new NumberFormatException(value);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        switch (unit.toUpperCase(Locale.ROOT)) {
            case "KIB": return Math.multiplyExact(n, 1L << 10);
            case "MIB": return Math.multiplyExact(n, 1L << 20);
            case "GIB": return Math.multiplyExact(n, 1L << 30);
            default: return n;
        }
    }
}
