package dev.sliceplane.platform.api.swap;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares, in the bundle manifest, that this bundle implements a sub-service. Put it on any
 * class or on a {@code package-info.java} of the implementation bundle; bnd turns it into
 *
 * <pre>
 * Provide-Capability: sliceplane.subservice; sliceplane.subservice=discovery;
 *   api:List&lt;String&gt;="dev.sliceplane.discovery.api.Discovery"; default:Boolean=true
 * </pre>
 *
 * <p>Contract for implementations: their components provide the {@link #api()} services and
 * accept configuration (the default configuration policy), because the swap manager raises the
 * {@code service.ranking} of the active implementation through Configuration Admin. Consumers
 * should reference the API with a dynamic, greedy reference so a swap rebinds them in place.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
@Capability(namespace = SubServiceImplementation.NAMESPACE)
public @interface SubServiceImplementation {

    /** The capability namespace. */
    String NAMESPACE = "sliceplane.subservice";

    /** The sub-service name, such as {@code discovery}. */
    @Attribute(NAMESPACE)
    String value();

    /** The service interfaces that an implementation provides and that a swap moves. */
    @Attribute("api")
    String[] api();

    /** Whether this implementation is the one activated when no choice has been made. */
    @Attribute("default")
    boolean isDefault() default false;

    /** Whether the sub-service is core (one agreed version, never swapped). */
    @Attribute("core")
    boolean core() default false;
}
