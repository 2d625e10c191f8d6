package dev.sliceplane.accounts.internal.http;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/**
 * The one mapping of registry failures to HTTP problems, shared by every accounts route:
 * NOT_FOUND 404, ALREADY_EXISTS 409, INVALID 400 (with {@code field}), REFERENCED 409,
 * LIMIT_REACHED 409, UNAVAILABLE 503. Database details (SQL, constraint text) stay in the log;
 * the caller gets the registry's own words, which name only their input.
 */
final class RegistryProblems {

    static final String NOT_FOUND = "not-found";
    static final String ALREADY_EXISTS = "already-exists";
    static final String INVALID = "invalid";
    static final String REFERENCED = "referenced";
    static final String LIMIT_REACHED = "limit-reached";
    static final String UNAVAILABLE = "unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryProblems.class);

    private RegistryProblems() {
    }

    static ProblemException exception(RegistryException e) {
        return new ProblemException(of(e));
    }

    static Problem of(RegistryException e) {
        Problem problem = switch (e.reason()) {
            case NOT_FOUND -> Problem.of(404, NOT_FOUND, "Not found", e.getMessage());
            case ALREADY_EXISTS -> Problem.of(409, ALREADY_EXISTS, "Already exists", e.getMessage());
            case INVALID -> Problem.of(400, INVALID, "Invalid input", invalidDetail(e));
            case REFERENCED -> Problem.of(409, REFERENCED, "Still referenced", e.getMessage());
            case LIMIT_REACHED -> Problem.of(409, LIMIT_REACHED, "Limit reached", e.getMessage());
            case UNAVAILABLE -> unavailable(e);
        };
        return e.field() == null ? problem : problem.with("field", e.field());
    }

    /** A constraint the stores did not name comes with the database's own text: keep that in the log. */
    private static String invalidDetail(RegistryException e) {
        if (e.getCause() instanceof SQLException) {
            LOG.info("registry refused a change: {}", e.getMessage());
            return "the registry refused the change as inconsistent with what it holds";
        }
        return e.getMessage();
    }

    private static Problem unavailable(RegistryException e) {
        LOG.warn("accounts registry unavailable: {}", e.getMessage());
        return Problem.of(503, UNAVAILABLE, "Service unavailable", "the accounts database is unavailable; retry later");
    }
}
