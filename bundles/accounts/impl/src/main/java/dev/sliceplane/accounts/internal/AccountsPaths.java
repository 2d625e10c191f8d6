package dev.sliceplane.accounts.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where accounts keeps its files: {@code <node data>/accounts}, the node data directory being the
 * launcher's {@code sliceplane.data} property, or this bundle's own data area outside it.
 */
public final class AccountsPaths {

    /** Framework property set by the launcher: the node's data directory. */
    static final String DATA_PROPERTY = "sliceplane.data";

    private AccountsPaths() {
    }

    /** The accounts directory under the node's data directory (not created here). */
    public static Path accountsDirectory(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        Path base = data != null ? Path.of(data) : context.getDataFile("").toPath();
        return base.toAbsolutePath().resolve("accounts");
    }
}
