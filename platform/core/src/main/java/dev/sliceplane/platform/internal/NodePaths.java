package dev.sliceplane.platform.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** Where the node keeps its files: the launcher's data directory, or the bundle's own area. */
public final class NodePaths {

    /** Framework property set by the launcher: the node's data directory. */
    public static final String DATA_PROPERTY = "sliceplane.data";

    private NodePaths() {
    }

    /** The node's data directory. */
    public static Path dataDir(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        return data != null ? Path.of(data).toAbsolutePath() : context.getDataFile("").toPath().toAbsolutePath();
    }
}
