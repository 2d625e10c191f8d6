package dev.sliceplane.accounts.internal.http;

import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/** Registry failures as the contract's problems (404, 409, 400 with {@code field}, 503). */
final class RegistryFailures {

    private RegistryFailures() {
    }

    static ProblemException problem(RegistryException e) {
        Problem problem = switch (e.reason()) {
            case NOT_FOUND -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case ALREADY_EXISTS -> Problem.of(409, "already-exists", "Already exists", e.getMessage());
            case INVALID -> Problem.of(400, "invalid", "Invalid", e.getMessage());
            case REFERENCED -> Problem.of(409, "referenced", "Referenced", e.getMessage());
            case LIMIT_REACHED -> Problem.of(409, "limit-reached", "Limit reached", e.getMessage());
            case UNAVAILABLE -> Problem.of(503, "unavailable", "Service unavailable",
                    "the accounts database is unavailable; retry later");
        };
        return new ProblemException(e.field() == null ? problem : problem.with("field", e.field()));
    }

    static ProblemException forbidden(String rule) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", rule));
    }

    static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", detail));
    }
}
