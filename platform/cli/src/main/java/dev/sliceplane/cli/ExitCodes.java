package dev.sliceplane.cli;

/** The exit codes scripts can rely on. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** The node refused the request (a problem document), or something local failed (a file, a login). */
    public static final int FAILED = 1;
    /** The command line is wrong (picocli's usage errors). */
    public static final int USAGE = 2;
    /** The node could not be reached at all. */
    public static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
