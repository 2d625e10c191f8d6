package dev.sliceplane.vmm.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares in the manifest that a bundle provides a VMM backend, so a resolver can choose
 * backends by name. Put it on the {@link VmmBackendFactory} implementation; bnd turns it into
 *
 * <pre>
 * Provide-Capability: sliceplane.vmm.backend; sliceplane.vmm.backend=linux
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
@Capability(namespace = VmmBackendProvider.NAMESPACE)
public @interface VmmBackendProvider {

    /** The capability namespace, equal to the factory's service property name. */
    String NAMESPACE = VmmBackendFactory.NAME;

    /** The backend's name, as {@link VmmBackendFactory#name()} returns it. */
    @Attribute(NAMESPACE)
    String value();
}
