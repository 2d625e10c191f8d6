package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Anonymous;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/accounts/node-credentials} with {@code {hostname, bootstrapToken,
 * publicKey}}: consumes the one-time bootstrap token, records the node's Ed25519 key and answers
 * 201 {@code {credential, expiresAt}}. Open to anonymous callers: the bootstrap token is the
 * proof. A token that is unknown, used, expired or another node's is 401 (the reason goes to the
 * log at debug, never the token).
 */
@Component(enabled = false, service = Servlet.class, property = Anonymous.PROPERTY + "=POST")
@HttpWhiteboardServletPattern(NodeRegistrationServlet.PATH)
public final class NodeRegistrationServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/node-credentials";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistrationServlet.class);

    /** The request body. */
    public record Registration(String hostname, String bootstrapToken, String publicKey) {
    }

    private final transient NodeBootstraps bootstraps;
    private final transient AuthorityComponent authority;

    @Activate
    public NodeRegistrationServlet(@Reference NodeBootstraps bootstraps, @Reference AuthorityComponent authority) {
        this.bootstraps = bootstraps;
        this.authority = authority;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Registration request = readJson(req, Registration.class);
        required("hostname", request.hostname());
        required("bootstrapToken", request.bootstrapToken());
        required("publicKey", request.publicKey());
        Node node;
        try {
            node = bootstraps.redeem(request.hostname(), request.bootstrapToken(), request.publicKey());
        } catch (InvalidTokenException e) {
            LOG.debug("node registration of {} refused: {}", request.hostname(), e.getMessage());
            resp.setHeader("WWW-Authenticate", "BootstrapToken realm=\"sliceplane\"");
            throw RegistryFailures.unauthorized("the bootstrap token is not valid for this node");
        } catch (RegistryException e) {
            throw RegistryFailures.problem(e);
        }
        IssuedToken credential = authority.issueNodeCredential(node);
        LOG.info("Node {} of site {} registered its identity key", node.hostname(), node.site());
        resp.setHeader("Cache-Control", "no-store");
        writeJson(resp, 201, Map.of("credential", credential.token(), "expiresAt", credential.expiresAt().toString()));
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(Problem.badRequest(field + " is required").with("field", field));
        }
    }
}
