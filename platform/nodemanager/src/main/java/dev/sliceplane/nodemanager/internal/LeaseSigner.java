package dev.sliceplane.nodemanager.internal;

import java.time.Clock;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.NodeSigner;

/**
 * Signs leases with the node's key: a compact JWS {@code typ lease+jwt}, {@code kid} the host
 * name, with the node credential in {@code cred} so anyone holding the authority's keys can check
 * that this node granted it.
 */
final class LeaseSigner {

    /** The {@code typ} of leases. */
    static final String LEASE_TYPE = "lease+jwt";

    private final NodeSigner node;
    private final Clock clock;

    LeaseSigner(NodeSigner node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    String sign(Lease lease) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", node.hostname());
        claims.put("sub", lease.slice());
        claims.put("jti", lease.id());
        claims.put("ticket", lease.ticket());
        claims.put("sliver", lease.sliver());
        claims.set("res", ResourcesJson.write(lease.resources()));
        claims.put("iat", clock.instant().getEpochSecond());
        claims.put("nbf", lease.start().getEpochSecond());
        claims.put("exp", lease.end().getEpochSecond());
        claims.put("cred", node.credential());
        return Jws.sign(LEASE_TYPE, node.hostname(), claims, node::sign);
    }
}
