/**
 * Management slices: every management bundle runs in its own slice of the node, declared by
 * the {@value dev.sliceplane.platform.api.slice.SliceHeader#NAME} manifest header. A bundle gets
 * its own {@link ManagementSlice} as a service; all slices are listed by {@link SliceRegistry}.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.platform.api.slice;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
