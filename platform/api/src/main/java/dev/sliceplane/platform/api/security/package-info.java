/**
 * Who calls the node's HTTP API, and what they may do.
 *
 * <p>The platform's authentication filter runs on every request: it asks the {@link
 * Authenticator} service for the {@link Caller} behind a bearer token, answers 401 when a token
 * is bad or missing on a route that is not open to anonymous callers, and leaves the caller on
 * the request for the endpoint's own checks. Endpoints say which roles may call each method with
 * {@link Allow}; a method without it is open to any authenticated caller when it only reads
 * (GET, HEAD, OPTIONS) and to administrators only when it changes something. Object-level rules
 * (a PI manages their own site's slices) are the endpoint's to check, with {@link Caller}.
 * Administrators pass every role check.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.platform.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
