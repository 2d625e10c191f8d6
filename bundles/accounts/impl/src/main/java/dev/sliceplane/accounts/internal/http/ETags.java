package dev.sliceplane.accounts.internal.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Strong ETags computed from a body's bytes, and {@code If-None-Match} matching. */
final class ETags {

    private ETags() {
    }

    /** The strong ETag of a body: its SHA-256, base64url, quoted. */
    static String of(byte[] body) {
        try {
            return "\"" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /**
     * Whether an {@code If-None-Match} header matches {@code etag}: {@code *} or any listed tag,
     * compared weakly as RFC 9110 (13.1.2) asks for this header.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String bare = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(bare)) {
                return true;
            }
        }
        return false;
    }
}
