package dev.sliceplane.cli;

/**
 * A failure the command line reports as one line on stderr ({@code sliceplane: <message>}) and
 * an exit code, never with a stack trace.
 */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(String message) {
        this(ExitCodes.FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
