package dev.sliceplane.agent.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where the agent keeps its files: {@code <node data>/agent}, the node data directory being the
 * launcher's {@code sliceplane.data} framework property, or this bundle's own data area outside it.
 */
public final class AgentPaths {

    /** Framework property set by the launcher: the node's data directory. */
    static final String DATA_PROPERTY = "sliceplane.data";

    private AgentPaths() {
    }

    /** The agent directory under the node's data directory (not created here). */
    public static Path agentDirectory(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        Path base = data != null ? Path.of(data) : context.getDataFile("").toPath();
        return base.toAbsolutePath().resolve("agent");
    }
}
