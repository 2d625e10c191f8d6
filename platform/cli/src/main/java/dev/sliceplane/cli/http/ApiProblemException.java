package dev.sliceplane.cli.http;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.ExitCodes;

/**
 * The node answered with an error status. Reported as {@code <status> <slug>: <detail>}, e.g.
 * {@code 403 forbidden: pi@x may not grant admin}, from the RFC 9457 problem document.
 */
public final class ApiProblemException extends CliException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String detail;

    public ApiProblemException(int status, String slug, String detail) {
        this(status, slug, detail, "");
    }

    private ApiProblemException(int status, String slug, String detail, String hint) {
        super(ExitCodes.FAILED, status + " " + slug + (detail.isEmpty() ? "" : ": " + detail) + hint);
        this.status = status;
        this.slug = slug;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    /** The last segment of the problem's {@code type} URI, e.g. {@code not-found}. */
    public String slug() {
        return slug;
    }

    public String detail() {
        return detail;
    }

    /** The same problem with advice appended to its message, e.g. to log in again. */
    public ApiProblemException withHint(String hint) {
        return new ApiProblemException(status, slug, detail, " (" + hint + ")");
    }
}
