package dev.sliceplane.platform.internal.swap;

import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

import dev.sliceplane.platform.api.swap.SubServiceImplementation;

/** An installed bundle that declares a {@value SubServiceImplementation#NAMESPACE} capability. */
record Implementation(String service, List<String> api, boolean isDefault, boolean core, Bundle bundle) {

    /** Every sub-service implementation the bundle declares; usually one. */
    static List<Implementation> of(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of();
        }
        return revision.getDeclaredCapabilities(SubServiceImplementation.NAMESPACE).stream()
                .map(capability -> from(capability, bundle))
                .toList();
    }

    private static Implementation from(BundleCapability capability, Bundle bundle) {
        Map<String, Object> attrs = capability.getAttributes();
        return new Implementation(
                String.valueOf(attrs.get(SubServiceImplementation.NAMESPACE)),
                stringList(attrs.get("api")),
                isTrue(attrs.get("default")),
                isTrue(attrs.get("core")),
                bundle);
    }

    /** bnd writes annotation booleans as typed or untyped attributes depending on its version. */
    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    private static List<String> stringList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof String s) {
            return List.of(s.split("\\s*,\\s*"));
        }
        return List.of();
    }

    String symbolicName() {
        return bundle.getSymbolicName();
    }

    boolean isActive() {
        return bundle.getState() == Bundle.ACTIVE;
    }

    /** Whether {@code reference} is a service of this implementation's bundle under one of its API interfaces. */
    boolean providesApi(ServiceReference<?> reference) {
        if (reference.getBundle() != bundle) {
            return false;
        }
        String[] classes = (String[]) reference.getProperty(Constants.OBJECTCLASS);
        if (classes != null) {
            for (String name : classes) {
                if (api.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
