package dev.sliceplane.platform.api.slice;

/**
 * The manifest header that puts a bundle in a management slice, and its attributes:
 *
 * <pre>
 * Sliceplane-Slice: mgmt_monitor; cpu=0.25; threads=4; queue=1000; data=64MiB
 * </pre>
 *
 * The first clause is the slice name ({@code mgmt_} followed by lower-case letters, digits or
 * underscores). Omitted attributes take the defaults below.
 */
public final class SliceHeader {

    /** The manifest header name. */
    public static final String NAME = "Sliceplane-Slice";

    /** CPU share, in cores (0.25 is a quarter of one core). Default {@value #DEFAULT_CPU}. */
    public static final String CPU = "cpu";
    /** Most threads the slice's executor may run at once. Default {@value #DEFAULT_THREADS}. */
    public static final String THREADS = "threads";
    /** Most tasks that may wait in the slice's queue; more are rejected. Default {@value #DEFAULT_QUEUE}. */
    public static final String QUEUE = "queue";
    /** Quota of the slice's data area, with an optional KiB, MiB or GiB suffix. Default 64MiB. */
    public static final String DATA = "data";

    public static final double DEFAULT_CPU = 0.25;
    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_QUEUE = 1000;
    public static final long DEFAULT_DATA_BYTES = 64L << 20;

    /** Allowed slice names. */
    public static final String NAME_PATTERN = "mgmt_[a-z0-9_]{1,40}";

    private SliceHeader() {
    }
}
