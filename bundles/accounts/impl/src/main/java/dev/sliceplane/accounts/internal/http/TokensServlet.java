package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.Map;

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
 * {@code POST /api/v1/accounts/tokens} with {@code {"apiKey": "..."}}: 201 with
 * {@code {"token", "expiresAt"}}, or 401 for a key that authenticates no one (the reason goes to
 * the log at debug level, never to the caller, and never the key itself).
 */
@Component(enabled = false, service = Servlet.class, property = Anonymous.PROPERTY + "=POST")
@HttpWhiteboardServletPattern(TokensServlet.PATH)
public final class TokensServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/tokens";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TokensServlet.class);

    /** The request body. */
    public record TokenRequest(String apiKey) {
    }

    private final transient Credentials credentials;

    @Activate
    public TokensServlet(@Reference Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    @Allow
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        TokenRequest request = readJson(req, TokenRequest.class);
        if (request.apiKey() == null || request.apiKey().isBlank()) {
            throw new ProblemException(Problem.badRequest("apiKey is required").with("field", "apiKey"));
        }
        IssuedToken token;
        try {
            token = credentials.issueToken(request.apiKey());
        } catch (InvalidTokenException e) {
            LOG.debug("token refused: {}", e.getMessage());
            resp.setHeader("WWW-Authenticate", "ApiKey realm=\"sliceplane\"");
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "the API key is not valid"));
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
}
