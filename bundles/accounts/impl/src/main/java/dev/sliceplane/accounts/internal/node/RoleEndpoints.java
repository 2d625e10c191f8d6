package dev.sliceplane.accounts.internal.node;

import java.util.List;

import dev.sliceplane.accounts.internal.http.JwksServlet;
import dev.sliceplane.accounts.internal.http.KeysServlet;
import dev.sliceplane.accounts.internal.http.NodeCacheServlet;
import dev.sliceplane.accounts.internal.http.NodeRegistrationServlet;
import dev.sliceplane.accounts.internal.http.NodeRenewalServlet;
import dev.sliceplane.accounts.internal.http.NodesServlet;
import dev.sliceplane.accounts.internal.http.PrincipalsServlet;
import dev.sliceplane.accounts.internal.http.SitesServlet;
import dev.sliceplane.accounts.internal.http.SlicesServlet;
import dev.sliceplane.accounts.internal.http.TokensServlet;
import dev.sliceplane.accounts.internal.http.WhoamiServlet;

/**
 * The accounts routes each role serves. Their servlet components are disabled in their
 * declaration and enabled here for the role this process plays: a route of the other role is
 * then absent (404), not an unsatisfied component that the platform's {@code http-endpoints}
 * health check would rightly report as a missing endpoint. A new accounts servlet that needs the
 * registry belongs in {@link #AUTHORITY}.
 */
final class RoleEndpoints {

    static final List<String> AUTHORITY = List.of(JwksServlet.class.getName(), TokensServlet.class.getName(),
            NodeRegistrationServlet.class.getName(), NodeRenewalServlet.class.getName(),
            WhoamiServlet.class.getName(), SitesServlet.class.getName(), PrincipalsServlet.class.getName(),
            SlicesServlet.class.getName(), KeysServlet.class.getName(), NodesServlet.class.getName());

    static final List<String> NODE = List.of(NodeCacheServlet.class.getName());

    private RoleEndpoints() {
    }
}
