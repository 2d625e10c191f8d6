package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Anonymous;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/accounts/tokens} with {@code {"apiKey": "..."}} or
 * {@code {"email": "...", "password": "..."}}: 201 with {@code {"token", "expiresAt"}}, or 401
 * for a credential that authenticates no one. A wrong password and an unknown address get the same
 * answer after the same work. The reason goes to the log at debug level, never to the caller, and
 * never the key or password itself. Open to anonymous callers: this is where a token comes from.
 *
 * <p>Guessing is slowed down ({@link LoginThrottle}): repeated failures for one account or from
 * one client address get 429 with {@code Retry-After} and no credential work, and password
 * checks beyond the few that may run at once wait briefly and then get 503 with {@code Retry-After}.
 */
@Component(enabled = false, service = Servlet.class, property = Anonymous.PROPERTY + "=POST")
@HttpWhiteboardServletPattern(TokensServlet.PATH)
public final class TokensServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/tokens";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TokensServlet.class);

    /** The request body: an API key, or an e-mail address and password. */
    public record TokenRequest(String apiKey, String email, char[] password) {
        @Override
        public String toString() {
            return "TokenRequest[email=" + email + ", secrets hidden]";
        }
    }

    /** How long a password check waits for a turn before the caller is told to retry. */
    private static final Duration PASSWORD_CHECK_PATIENCE = Duration.ofSeconds(5);

    private final transient Credentials credentials;
    private final transient LoginThrottle throttle;

    @Activate
    public TokensServlet(@Reference Credentials credentials) {
        this(credentials, new LoginThrottle(LoginThrottle.Settings.DEFAULT, Clock.systemUTC()));
    }

    TokensServlet(Credentials credentials, LoginThrottle throttle) {
        this.credentials = credentials;
        this.throttle = throttle;
    }

    @Override
    @Allow
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        TokenRequest request = readJson(req, TokenRequest.class);
        String address = req.getRemoteAddr();
        String account = request.apiKey() == null ? request.email() : null;
        Optional<Duration> wait = throttle.wait(address, account);
        if (wait.isPresent()) {
            clear(request);
            throw retryLater(resp, wait.get(), 429, "too-many-requests", "Too many requests",
                    "too many failed attempts; retry in " + seconds(wait.get()) + " s");
        }
        IssuedToken token;
        try {
            token = issue(request, resp);
            throttle.succeeded(account);
        } catch (InvalidTokenException e) {
            throttle.failed(address, account);
            LOG.debug("token refused: {}", e.getMessage());
            resp.setHeader("WWW-Authenticate", "ApiKey realm=\"sliceplane\"");
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", request.apiKey() != null
                    ? "the API key is not valid" : "the e-mail address or password is not valid"));
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.UNAVAILABLE) {
                throw new ProblemException(Problem.of(503, "unavailable", "Service unavailable",
                        "the accounts database is unavailable; retry later"));
            }
            throw e;
        }
        resp.setHeader("Cache-Control", "no-store");
        writeJson(resp, 201, Map.of("token", token.token(), "expiresAt", token.expiresAt()));
    }

    private IssuedToken issue(TokenRequest request, HttpServletResponse resp) {
        boolean byPassword = request.email() != null || request.password() != null;
        if (!byPassword || request.apiKey() != null) {
            if (byPassword) {
                throw new ProblemException(Problem.badRequest("send either apiKey, or email and password; not both")
                        .with("field", "apiKey"));
            }
            if (request.apiKey() == null || request.apiKey().isBlank()) {
                throw new ProblemException(Problem.badRequest("apiKey (or email and password) is required")
                        .with("field", "apiKey"));
            }
            return credentials.issueToken(request.apiKey());
        }
        try {
            if (request.email() == null || request.email().isBlank()) {
                throw new ProblemException(Problem.badRequest("email is required with a password").with("field", "email"));
            }
            if (request.password() == null || request.password().length == 0) {
                throw new ProblemException(Problem.badRequest("password is required with an email").with("field", "password"));
            }
            return checkPassword(request, resp);
        } finally {
            clear(request);
        }
    }

    /** Checks the password when a turn comes (each check is an Argon2id hash); 503 when none comes soon. */
    private IssuedToken checkPassword(TokenRequest request, HttpServletResponse resp) {
        try {
            if (!throttle.awaitPasswordCheck(PASSWORD_CHECK_PATIENCE)) {
                throw retryLater(resp, Duration.ofSeconds(1), 503, "busy", "Service busy",
                        "too many sign-ins at once; retry in a moment");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw retryLater(resp, Duration.ofSeconds(1), 503, "busy", "Service busy", "the node is stopping");
        }
        try {
            return credentials.issueToken(request.email(), request.password());
        } finally {
            throttle.passwordChecked();
        }
    }

    private static ProblemException retryLater(HttpServletResponse resp, Duration wait, int status, String type,
                                               String title, String detail) {
        resp.setHeader("Retry-After", Long.toString(seconds(wait)));
        return new ProblemException(Problem.of(status, type, title, detail).with("retryAfterSeconds", seconds(wait)));
    }

    /** Whole seconds, rounded up: a client that waits that long is heard. */
    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static void clear(TokenRequest request) {
        if (request.password() != null) {
            Arrays.fill(request.password(), '\0');
        }
    }
}
