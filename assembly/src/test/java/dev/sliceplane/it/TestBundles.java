package dev.sliceplane.it;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;

/**
 * Builds the test-only bundles from packages of the test sources with bnd, as the real build
 * would: manifests, imports and Declarative Services descriptors are generated, not written.
 */
public final class TestBundles {

    private static final Path CLASSES = Path.of("target/test-classes").toAbsolutePath();
    private static final String PREFIX = "dev.sliceplane.it.bundles.";

    private TestBundles() {
    }

    /** The greeter API, exported. */
    public static byte[] greeterApi() throws Exception {
        return build("it.greeter.api", Map.of(Constants.EXPORT_PACKAGE, PREFIX + "greeter.api;version=1.0.0"));
    }

    /** The default greeter implementation. */
    public static byte[] greeterA() throws Exception {
        return build("it.greeter.a", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "greeter.a",
                "Sliceplane-Slice", "mgmt_greeter; cpu=0.5"));
    }

    /** The alternative greeter implementation. */
    public static byte[] greeterB() throws Exception {
        return build("it.greeter.b", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "greeter.b",
                "Sliceplane-Slice", "mgmt_greeter; cpu=0.5"));
    }

    /** A consumer of the greeter with a dynamic greedy reference and an HTTP probe. */
    public static byte[] greeterConsumer() throws Exception {
        return build("it.greeter.consumer", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "greeter.consumer",
                "Sliceplane-Slice", "mgmt_greeterclient; cpu=2; threads=8"));
    }

    /** A listener to greeter services that consumes none (as a log does), with an HTTP probe. */
    public static byte[] greeterObserver() throws Exception {
        return build("it.greeter.observer", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "greeter.observer"));
    }

    /**
     * Exports {@code Gate} and the {@code Latecomer} API; registers a {@code Gate} once the test
     * creates {@code gate-open} in the node's data directory.
     */
    public static byte[] gate() throws Exception {
        return build("it.gate", Map.of(Constants.EXPORT_PACKAGE, PREFIX + "gate;version=1.0.0"));
    }

    /** The one implementation of the sub-service "latecomer", which requires the {@link #gate()}'s service. */
    public static byte[] latecomer() throws Exception {
        return build("it.latecomer", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "latecomer"));
    }

    /** A discovery implementation with a fixed view, to swap the registry implementation with. */
    public static byte[] fixedDiscovery() throws Exception {
        return build("it.discovery.fixed", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "discoveryfixed"));
    }

    /** A configuration plugin and listener that line up the next swap to greeter a with a slow configuration read. */
    public static byte[] slowConfigurationRead() throws Exception {
        return build("it.slowconfig", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "slowconfig"));
    }

    /** A core sub-service implementation, which the swap manager must never swap. */
    public static byte[] coreThing() throws Exception {
        return build("it.corething", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "core"));
    }

    /** A bundle whose background tasks spin without end, in a slice of 0.2 cores. */
    public static byte[] runaway() throws Exception {
        return build("it.runaway", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "runaway",
                "Sliceplane-Slice", "mgmt_runaway; cpu=0.2; threads=8"));
    }

    /** A bundle whose single task spins without end, in a slice of 0.2 cores. */
    public static byte[] spinner() throws Exception {
        return build("it.spinner", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "spinner",
                "Sliceplane-Slice", "mgmt_spinner; cpu=0.2; threads=1"));
    }

    /** A bundle that measures how late its periodic task runs. */
    public static byte[] steady() throws Exception {
        return build("it.steady", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "steady",
                "Sliceplane-Slice", "mgmt_steady; cpu=0.5; threads=1"));
    }

    /** A status hook and Event Admin handler that record VMM samples and events, and drive the VMM. */
    public static byte[] vmmProbe() throws Exception {
        return build("it.vmmprobe", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "vmmprobe"));
    }

    /** A {@code /metrics} source that answers once and then hangs on every collection. */
    public static byte[] slowMetrics() throws Exception {
        return build("it.slowmetrics", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "slowmetrics"));
    }

    /** Adds principals and API keys through the accounts services, over HTTP. */
    public static byte[] accountsProbe() throws Exception {
        return build("it.accountsprobe", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "accountsprobe"));
    }

    /** Registers a site, a member with a key, a slice and a node at the authority, over HTTP. */
    public static byte[] joinProbe() throws Exception {
        return build("it.joinprobe", Map.of(Constants.PRIVATEPACKAGE, PREFIX + "joinprobe"));
    }

    /** A bundle that imports a package nobody exports, so it can never resolve. */
    public static byte[] unresolvable() throws Exception {
        return build("it.unresolvable", Map.of(Constants.IMPORT_PACKAGE, "com.example.missing;version=\"[1,2)\"",
                Constants.INCLUDERESOURCE, "readme.txt;literal='never resolves'"));
    }

    /** Writes a bundle to a file, for deploy/ tests. */
    public static Path write(byte[] bundle, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, bundle);
        Files.move(tmp, file);
        return file;
    }

    static byte[] build(String bsn, Map<String, String> instructions) throws Exception {
        try (Builder builder = new Builder()) {
            builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, bsn);
            builder.setProperty(Constants.BUNDLE_VERSION, "1.0.0");
            builder.setProperty(Constants.NOEXTRAHEADERS, "true");
            instructions.forEach(builder::setProperty);
            builder.addClasspath(CLASSES.toFile());
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.endsWith(".jar")) {
                    builder.addClasspath(new File(entry));
                }
            }
            Jar jar = builder.build();
            if (!builder.isOk()) {
                throw new IllegalStateException("cannot build " + bsn + ": " + builder.getErrors());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            jar.write(out);
            return out.toByteArray();
        }
    }
}
