/**
 * Live swapping of sub-service implementations. An implementation bundle declares what it
 * implements with {@link SubServiceImplementation}; the {@link SwapManager} keeps one implementation
 * of each sub-service active and swaps them make-before-break.
 */
@Export
@Version("1.0.0")
package dev.sliceplane.platform.api.swap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
