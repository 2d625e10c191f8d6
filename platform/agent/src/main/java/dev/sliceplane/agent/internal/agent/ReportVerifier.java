package dev.sliceplane.agent.internal.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.jose.Ed25519PublicKey;
import dev.sliceplane.jose.Jws;
import dev.sliceplane.jose.JwsException;
import dev.sliceplane.jose.VerifiedJws;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * Checks a capacity report: sent by the node it speaks for, signed with the key that node
 * registered, fresh, and with every claim well formed. Refusals are 400 {@code invalid-request}
 * (malformed or stale) or 403 {@code report-forged} (another node's, unknown node, bad signature).
 * Stateless and thread-safe.
 */
public final class ReportVerifier {

    /** The {@code typ} of capacity reports. */
    public static final String TYPE = "capacity-report+jwt";
    static final Duration SKEW = Duration.ofSeconds(30);
    private static final String AGENT = "agent";
    private static final Set<String> HEALTH = Set.of("UP", "WARN", "DOWN", "STARTING");

    private final NodeDirectory directory;

    public ReportVerifier(NodeDirectory directory) {
        this.directory = directory;
    }

    /**
     * @param callerHostname the node the request authenticated as
     * @throws DeniedException naming what is wrong
     */
    public CapacityReport verify(String reportJws, String callerHostname, Instant now) {
        String issuer;
        try {
            issuer = Jws.unverifiedClaims(reportJws).path("iss").asText("");
        } catch (JwsException e) {
            throw Denials.invalid(AGENT, "report.form", "the report is not a compact JWS: " + e.getMessage());
        }
        if (!issuer.equals(callerHostname)) {
            throw forged("report.iss", "the report speaks for '" + issuer + "' but was sent by " + callerHostname);
        }
        NodeRecord node = directory.node(issuer)
                .orElseThrow(() -> forged("report.iss", "node " + issuer + " is not in the registry"));
        byte[] raw = node.registeredKey()
                .orElseThrow(() -> forged("report.key", "node " + issuer + " has not registered a key"));
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.of(raw);
        } catch (JwsException e) {
            throw forged("report.key", "node " + issuer + " registered no usable Ed25519 key");
        }
        VerifiedJws report;
        try {
            report = Jws.verify(reportJws, TYPE, kid -> kid.equals(issuer) ? key : null);
        } catch (JwsException e) {
            throw forged("report.signature", "the report is not signed by " + issuer + "'s registered key: "
                    + e.getMessage());
        }
        try {
            return claims(report, node, now);
        } catch (JwsException e) {
            throw Denials.invalid(issuer, "report.claims", e.getMessage());
        }
    }

    private static CapacityReport claims(VerifiedJws report, NodeRecord node, Instant now) {
        String hostname = node.hostname();
        if (!hostname.equals(report.requiredText("sub"))) {
            throw new JwsException("sub must be the node's host name, as iss");
        }
        Instant issuedAt = Instant.ofEpochSecond(report.requiredSeconds("iat"));
        Instant expiresAt = Instant.ofEpochSecond(report.requiredSeconds("exp"));
        if (issuedAt.isAfter(now.plus(SKEW))) {
            throw new JwsException("iat is in the future");
        }
        if (!expiresAt.isAfter(now.minus(SKEW))) {
            throw Denials.invalid(hostname, "report.exp", "the report is stale: it expired at " + expiresAt);
        }
        JsonNode claims = report.claims();
        JsonNode oversubscription = claims.path("oversubscription");
        if (!oversubscription.isNumber() || !(oversubscription.asDouble() >= 0)
                || Double.isInfinite(oversubscription.asDouble())) {
            throw new JwsException("oversubscription must be a number ≥ 0");
        }
        String health = report.requiredText("health");
        if (!HEALTH.contains(health)) {
            throw new JwsException("health must be one of UP, WARN, DOWN, STARTING");
        }
        return new CapacityReport(hostname, node.site(), url(report.requiredText("url")),
                resources(claims.path("capacity"), "capacity"), resources(claims.path("free"), "free"),
                oversubscription.asDouble(), ticketIds(claims.path("redeemed"), "redeemed"),
                released(claims.path("released")), health, issuedAt, expiresAt, measured(claims));
    }

    /** The monitor's figures: optional claims (a node without a sample yet, or an older reporter), checked when present. */
    private static CapacityReport.Measured measured(JsonNode claims) {
        JsonNode cpuBusy = claims.path("cpu_busy");
        JsonNode load1 = claims.path("load1");
        JsonNode memAvailable = claims.path("mem_available");
        if (!cpuBusy.isMissingNode() && !(cpuBusy.isNumber() && cpuBusy.asDouble() >= 0 && cpuBusy.asDouble() <= 1)) {
            throw new JwsException("cpu_busy must be a number in [0, 1]");
        }
        if (!load1.isMissingNode() && !(load1.isNumber() && load1.asDouble() >= 0 && Double.isFinite(load1.asDouble()))) {
            throw new JwsException("load1 must be a number ≥ 0");
        }
        if (!memAvailable.isMissingNode() && !(memAvailable.canConvertToLong() && memAvailable.asLong() >= 0)) {
            throw new JwsException("mem_available must be a whole number of bytes ≥ 0");
        }
        return new CapacityReport.Measured(cpuBusy.isMissingNode() ? null : cpuBusy.asDouble(),
                load1.isMissingNode() ? null : load1.asDouble(),
                memAvailable.isMissingNode() ? null : memAvailable.asLong());
    }

    /** A {@code res} object: cores, bytes, count, bytes; all present, none negative. */
    public static Resources resources(JsonNode res, String name) {
        if (!res.isObject()) {
            throw new JwsException(name + " must be a resources object");
        }
        for (String field : new String[] {"cpu", "memory", "processes", "disk"}) {
            JsonNode value = res.path(field);
            if (!value.isNumber() || (!field.equals("cpu") && !value.canConvertToLong())) {
                throw new JwsException(name + "." + field + " must be a number");
            }
        }
        if (!res.path("processes").canConvertToInt()) {
            throw new JwsException(name + ".processes is too large");
        }
        try {
            return new Resources(res.path("cpu").asDouble(), res.path("memory").asLong(),
                    res.path("processes").asInt(), res.path("disk").asLong());
        } catch (IllegalArgumentException e) {
            throw new JwsException(name + ": " + e.getMessage());
        }
    }

    private static URI url(String text) {
        try {
            URI url = new URI(text);
            if (text.length() > 2048 || url.getHost() == null
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new JwsException("url must be an absolute http or https URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new JwsException("url must be an absolute http or https URL");
        }
    }

    /** {@code released} is optional: a node that does not send it (an older reporter) has none to tell. */
    private static Set<String> released(JsonNode ids) {
        return ids.isMissingNode() ? Set.of() : ticketIds(ids, "released");
    }

    private static Set<String> ticketIds(JsonNode ids, String claim) {
        if (!ids.isArray()) {
            throw new JwsException(claim + " must be an array of ticket ids");
        }
        Set<String> tickets = new HashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 64) {
                throw new JwsException(claim + " must hold ticket ids");
            }
            tickets.add(id.asText());
        }
        return tickets;
    }

    private static DeniedException forged(String rule, String detail) {
        return Denials.denied(403, "report-forged", "signature", AGENT, rule, detail);
    }
}
