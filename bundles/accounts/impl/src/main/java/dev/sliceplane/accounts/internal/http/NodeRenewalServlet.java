package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.NodeCredentialClaims;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/accounts/node-credentials/renew}: a node, authenticated by its credential,
 * gets a fresh one (201 {@code {credential, expiresAt}}). Refused (403) when the node has left the
 * registry, is disabled, or has registered another key since (a credential for an old key must
 * not live on by renewal).
 */
@Component(enabled = false, service = Servlet.class)
@HttpWhiteboardServletPattern(NodeRenewalServlet.PATH)
public final class NodeRenewalServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/node-credentials/renew";
    private static final long serialVersionUID = 1L;
    private static final String BEARER = "Bearer ";

    private final transient Registry registry;
    private final transient AuthorityComponent authority;

    @Activate
    public NodeRenewalServlet(@Reference Registry registry, @Reference AuthorityComponent authority) {
        this.registry = registry;
        this.authority = authority;
    }

    @Override
    @Allow(Roles.NODE)
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Caller caller = Caller.of(req);
        String authorization = req.getHeader("Authorization");
        if (caller.kind() != Caller.Kind.NODE || authorization == null || !authorization.startsWith(BEARER)) {
            throw RegistryFailures.forbidden("only a node renews its credential, with that credential");
        }
        NodeCredentialClaims claims;
        try {
            // The filter authenticated the caller; the key bound in the credential is read here.
            claims = authority.verifyNodeCredential(authorization.substring(BEARER.length()).strip());
        } catch (InvalidTokenException e) {
            throw RegistryFailures.unauthorized("the node credential is not valid");
        }
        Node node;
        try {
            node = registry.getNode(claims.hostname());
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                throw RegistryFailures.forbidden("node " + claims.hostname() + " is no longer registered");
            }
            throw RegistryFailures.problem(e);
        }
        if (node.bootState() == BootState.DISABLED) {
            throw RegistryFailures.forbidden("node " + node.hostname() + " is disabled");
        }
        if (!node.identityKey().equals(claims.nodeKey())) {
            throw RegistryFailures.forbidden("node " + node.hostname()
                    + " has registered another identity key; register again with a bootstrap token");
        }
        IssuedToken credential = authority.issueNodeCredential(node);
        resp.setHeader("Cache-Control", "no-store");
        writeJson(resp, 201, Map.of("credential", credential.token(), "expiresAt", credential.expiresAt().toString()));
    }
}
