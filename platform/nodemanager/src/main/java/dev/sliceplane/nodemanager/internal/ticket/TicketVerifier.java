package dev.sliceplane.nodemanager.internal.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.nodemanager.internal.Denials;
import dev.sliceplane.nodemanager.internal.ResourcesJson;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.VmmException;

/**
 * The first checks of a redemption, in the contract's order: form, then the chain authority →
 * agent certificate → ticket, then {@code aud}, then the window. Each failure is a
 * {@link DeniedException} of the contract's type. Nothing is trusted before its signature is
 * checked: the form check only decides whether the token is worth verifying. Thread-safe.
 */
public final class TicketVerifier {

    /** The {@code typ} of tickets. */
    public static final String TICKET_TYPE = "ticket+jwt";
    /** Clock skew allowed everywhere (the contract: 30 s). */
    public static final Duration SKEW = Duration.ofSeconds(30);

    private final AuthorityKeys authority;
    private final Clock clock;

    public TicketVerifier(AuthorityKeys authority, Clock clock) {
        this.authority = authority;
        this.clock = clock;
    }

    /**
     * Checks {@code token} for redemption on node {@code hostname}.
     *
     * @throws DeniedException invalid-request, ticket-forged, ticket-wrong-node,
     *                         ticket-not-yet-valid or ticket-expired
     */
    public Ticket verify(String token, String hostname) {
        Instant now = clock.instant();
        checkForm(token, hostname);
        VerifiedJws certificate = verifyCertificate(Jws.unverifiedClaims(token).path("agent").asText(), hostname, now);
        String agent = certificate.claims().path("sub").asText("");
        Ed25519PublicKey agentKey;
        try {
            agentKey = Jws.keyOf(certificate.claims().path("cnf").path("jwk"));
        } catch (JwsException e) {
            throw Denials.forged(hostname, "agent.cnf", "the agent certificate holds no usable key: " + e.getMessage());
        }
        VerifiedJws verified;
        try {
            verified = Jws.verify(token, TICKET_TYPE, agentKey);
        } catch (JwsException e) {
            throw Denials.forged(hostname, "ticket.signature",
                    "the ticket is not signed by the key agent " + agent + " was certified with: " + e.getMessage());
        }
        JsonNode claims = verified.claims();
        Ticket ticket = new Ticket(claims.path("jti").asText(), claims.path("iss").asText(), claims.path("sub").asText(),
                audience(claims).orElse(""), ResourcesJson.read(claims.path("res")),
                Instant.ofEpochSecond(claims.path("nbf").asLong()), Instant.ofEpochSecond(claims.path("exp").asLong()));
        Reason context = ticket.context("signature", hostname);
        if (!agent.equals(ticket.agent())) {
            throw Denials.forged(hostname, "ticket.iss", "the ticket names issuer " + ticket.agent()
                    + " but its certificate is agent " + agent + "'s", context);
        }
        if (!claims.path("aud").isArray() ? !hostname.equals(ticket.node()) : !contains(claims.path("aud"), hostname)) {
            throw Denials.wrongNode(hostname, "the ticket is for " + claims.path("aud") + ", not for this node ("
                    + hostname + ")", context);
        }
        if (now.isBefore(ticket.notBefore().minus(SKEW))) {
            throw Denials.notYetValid(hostname, "the ticket is valid from " + ticket.notBefore() + "; it is " + now,
                    ticket.context("window", hostname));
        }
        if (!now.isBefore(ticket.expires())) {
            throw Denials.expired(hostname, "the ticket's window ended at " + ticket.expires() + "; it is " + now,
                    ticket.context("window", hostname));
        }
        return ticket;
    }

    private VerifiedJws verifyCertificate(String certificate, String hostname, Instant now) {
        VerifiedJws verified;
        try {
            verified = Jws.verify(certificate, AgentCertifier.AGENT_CERTIFICATE_TYPE,
                    kid -> authority.ed25519Key(kid, now).map(Ed25519PublicKey::of).orElse(null));
        } catch (JwsException e) {
            throw Denials.forged(hostname, "agent.signature",
                    "the agent certificate is not signed by a key of the authority: " + e.getMessage());
        }
        JsonNode claims = verified.claims();
        if (!authority.issuer().equals(claims.path("iss").asText())) {
            throw Denials.forged(hostname, "agent.iss", "the agent certificate was issued by "
                    + claims.path("iss").asText("nobody") + ", not by this node's authority " + authority.issuer());
        }
        if (!claims.path("exp").isIntegralNumber()
                || !now.isBefore(Instant.ofEpochSecond(claims.path("exp").asLong()).plus(SKEW))) {
            throw Denials.forged(hostname, "agent.exp", "the agent certificate expired at "
                    + Instant.ofEpochSecond(claims.path("exp").asLong()));
        }
        if (claims.path("sub").asText("").isEmpty()) {
            throw Denials.forged(hostname, "agent.sub", "the agent certificate names no agent");
        }
        return verified;
    }

    /** The ticket's shape, before any signature is checked: 400 for anything that is not a ticket at all. */
    private static void checkForm(String token, String hostname) {
        if (token == null || token.isBlank()) {
            throw Denials.invalid(hostname, "ticket.form", "the request carries no ticket");
        }
        JsonNode claims;
        try {
            claims = Jws.unverifiedClaims(token);
        } catch (JwsException e) {
            throw Denials.invalid(hostname, "ticket.form", "the ticket is not a compact JWS: " + e.getMessage());
        }
        String type = Jws.peekType(token);
        if (!TICKET_TYPE.equals(type)) {
            throw Denials.invalid(hostname, "ticket.typ", "the token is a " + (type.isEmpty() ? "token without typ" : type)
                    + ", not a " + TICKET_TYPE);
        }
        for (String name : new String[] {"iss", "sub", "jti", "agent"}) {
            if (!claims.path(name).isTextual() || claims.path(name).asText().isEmpty()) {
                throw Denials.invalid(hostname, "ticket." + name, "the ticket has no " + name);
            }
        }
        if (audience(claims).isEmpty()) {
            throw Denials.invalid(hostname, "ticket.aud", "the ticket names no node (aud)");
        }
        for (String name : new String[] {"nbf", "exp"}) {
            if (!claims.path(name).isIntegralNumber()) {
                throw Denials.invalid(hostname, "ticket." + name, "the ticket's " + name + " is not a number of seconds");
            }
        }
        try {
            SliverSpec.requireValidName(claims.path("sub").asText());
        } catch (VmmException e) {
            throw Denials.invalid(hostname, "ticket.sub", "the ticket's slice cannot be a sliver: " + e.getMessage());
        }
        Resources resources = ResourcesJson.read(claims.path("res"));
        if (resources == null) {
            throw Denials.invalid(hostname, "ticket.res", "the ticket's res is not {cpu, memory, processes, disk} ≥ 0");
        }
        ResourcesJson.requireGrantable(resources, hostname, "ticket.res");
    }

    /** {@code aud} as one name; for an array, its first member (the checks use {@link #contains}). */
    private static Optional<String> audience(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        if (aud.isTextual() && !aud.asText().isEmpty()) {
            return Optional.of(aud.asText());
        }
        if (aud.isArray() && aud.size() > 0 && aud.get(0).isTextual()) {
            return Optional.of(aud.get(0).asText());
        }
        return Optional.empty();
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode member : array) {
            if (value.equals(member.asText())) {
                return true;
            }
        }
        return false;
    }
}
