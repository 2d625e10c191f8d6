/**
 * Compact JWS (RFC 7515) signed with EdDSA over Ed25519 (RFC 8037), on BouncyCastle's low-level
 * Ed25519, which verifies several times faster here than the JDK's provider that JOSE libraries
 * use. Everything Sliceplane signs goes through {@link Jws}: access tokens and node credentials
 * (accounts), agent certificates, tickets, capacity reports and leases (slice acquisition). Each
 * kind has its own explicit {@code typ} (RFC 8725, section 3.11) and verification demands the one
 * expected, so no token passes as another kind. Any JOSE library reads what this signs.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.jose;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
