package dev.sliceplane.platform.internal;

import org.osgi.framework.Bundle;

/** Names of bundle states, as shown in the API and the shell. */
public final class BundleStates {

    private BundleStates() {
    }

    public static String name(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNKNOWN";
        }
    }
}
