package dev.sliceplane.agent.internal.agent;

import java.security.SecureRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.Jws;

/**
 * Signs tickets: compact JWS, {@code typ ticket+jwt}, {@code kid} the agent's name, with the
 * agent's certificate inside so a node checks the chain authority → agent → ticket with nothing
 * but the authority's keys. Thread-safe.
 */
final class TicketSigner {

    /** The {@code typ} of tickets. */
    static final String TYPE = "ticket+jwt";

    private final AgentIdentity identity;
    private final SecureRandom random;

    TicketSigner(AgentIdentity identity, SecureRandom random) {
        this.identity = identity;
        this.random = random;
    }

    /** A fresh ticket id: 16 random bytes, base64url. */
    String newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Jws.B64.encodeToString(id);
    }

    String sign(TicketRecord ticket) {
        ObjectNode claims = Jws.JSON.createObjectNode();
        claims.put("iss", identity.name());
        claims.put("sub", ticket.slice());
        claims.put("aud", ticket.node());
        claims.set("res", Jws.JSON.valueToTree(ticket.resources()));
        claims.put("nbf", ticket.notBefore().getEpochSecond());
        claims.put("exp", ticket.expires().getEpochSecond());
        claims.put("iat", ticket.issuedAt().getEpochSecond());
        claims.put("jti", ticket.id());
        claims.put("agent", identity.certificate());
        return Jws.sign(TYPE, identity.name(), claims, identity.signer());
    }
}
