package dev.sliceplane.discovery.registry.internal;

import java.net.URI;

/**
 * A node the registry lists as booted, with the API address its last capacity report gave the
 * agent ({@code null} before its first report: it cannot be probed yet).
 */
record Member(String hostname, String site, URI url) {
}
