/**
 * The service provider interface of VMM backends. A backend bundle registers a
 * {@link dev.sliceplane.vmm.spi.VmmBackendFactory} service; the VMM adapter picks one by
 * configuration or auto-detection and builds the {@link dev.sliceplane.vmm.api.Vmm} service,
 * its sampling and status hooks on top of the {@link dev.sliceplane.vmm.spi.VmmBackend}.
 */
@Export
@Version("1.1.0")
package dev.sliceplane.vmm.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
