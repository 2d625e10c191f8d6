/**
 * The authority's registry: sites, principals with roles, slices and their members, nodes and
 * public keys. One {@link dev.sliceplane.accounts.api.Registry} service holds them; its records
 * validate themselves on construction and every failure is a
 * {@link dev.sliceplane.accounts.api.RegistryException} with a reason an HTTP layer can map.
 */
@Export
@Version("1.2.0")
package dev.sliceplane.accounts.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
