package dev.sliceplane.vmm.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes one kind of backend; registered as an OSGi service by each backend bundle, with the
 * service property {@link #NAME}.
 */
@ConsumerType
public interface VmmBackendFactory {

    /** Service property: the backend's name ({@code linux}, {@code process}, {@code simulated}). */
    String NAME = "sliceplane.vmm.backend";

    /** The backend's name, equal to the {@link #NAME} property. */
    String name();

    /**
     * Whether this backend can work on this machine, and if not, why not. Auto-detection picks
     * {@code linux} when it is usable, else {@code process}.
     */
    Availability probe();

    /**
     * Opens the backend: it re-attaches to the slivers recorded under the context's state
     * directory and reports orphans through the context's event sink.
     */
    VmmBackend open(BackendContext context);

    /**
     * The outcome of {@link #probe()}.
     *
     * @param usable whether the backend can work here
     * @param reason why not, or a description of what it found
     */
    record Availability(boolean usable, String reason) {

        public static Availability usable(String detail) {
            return new Availability(true, detail);
        }

        public static Availability unusable(String reason) {
            return new Availability(false, reason);
        }
    }
}
