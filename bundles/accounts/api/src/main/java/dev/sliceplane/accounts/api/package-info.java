/**
 * The authority's registry: sites, principals with roles, slices and their members, nodes and
 * public keys. One {@link dev.sliceplane.accounts.api.Registry} service holds them; its records
 * validate themselves on construction and every failure is a
 * {@link dev.sliceplane.accounts.api.RegistryException} with a reason an HTTP layer can map.
 *
 * <p>1.1 added the credentials (API keys, tokens, their verification); 1.2 added passwords to
 * {@link dev.sliceplane.accounts.api.Credentials} ({@code setPassword}, {@code issueToken} by
 * e-mail and password, the password length bounds) and a joined node's cache of its authority
 * ({@link dev.sliceplane.accounts.api.NodeCache}).
 */
@Export
@Version("1.2.0")
package dev.sliceplane.accounts.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
