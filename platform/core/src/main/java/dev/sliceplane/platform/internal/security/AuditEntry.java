package dev.sliceplane.platform.internal.security;

import java.time.Instant;

/**
 * One mutating call as the audit log keeps it: who, what, when, and how it ended.
 *
 * @param time           when the call arrived
 * @param caller         the caller's id, or {@code anonymous}
 * @param callerKind     {@code PRINCIPAL}, {@code NODE} or {@code ANONYMOUS}
 * @param tokenId        the credential's {@code jti}, or empty
 * @param method         the HTTP method
 * @param path           the request path, without the query
 * @param status         the HTTP status answered
 * @param outcome        {@code ok} (2xx, 3xx), {@code denied} (401, 403) or {@code failed}
 * @param remote         the client's address
 * @param durationMicros how long the call took
 */
public record AuditEntry(Instant time, String caller, String callerKind, String tokenId, String method, String path,
        int status, String outcome, String remote, long durationMicros) {

    /** The outcome word for an HTTP status. */
    static String outcomeOf(int status) {
        if (status == 401 || status == 403) {
            return "denied";
        }
        return status < 400 ? "ok" : "failed";
    }
}
