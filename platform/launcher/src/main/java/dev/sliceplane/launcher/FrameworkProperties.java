package dev.sliceplane.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.Constants;

/** The launch properties of the framework, including those our own bundles read. */
final class FrameworkProperties {

    static final String HTTP_PORT = "org.osgi.service.http.port";
    static final String HTTP_REQUIRE_CONFIG = "org.apache.felix.http.require.config";
    static final String SLICEPLANE_DATA = "sliceplane.data";
    static final String SLICEPLANE_HOME = "sliceplane.home";
    static final String SLICEPLANE_DEPLOY = "sliceplane.deploy";
    static final String SLICEPLANE_HTTP_PORT = "sliceplane.http.port";
    static final String SLICEPLANE_VERSION = "sliceplane.version";

    /** Bundles providing {@code osgi.serviceloader} start here, before everything else. */
    static final int EARLY_START_LEVEL = 1;
    static final int DEFAULT_START_LEVEL = 2;
    /** The OSGi Log service starts here, after every component has activated (see {@link BundleReconciler#LOG}). */
    static final int LATE_START_LEVEL = 3;

    private FrameworkProperties() {
    }

    /**
     * Builds the properties; entries of {@code <data>/etc/framework.properties}, when present,
     * replace ours so an operator can tune the framework without a new launcher.
     */
    static Map<String, String> build(DistributionLayout layout, int httpPort, String version, boolean console)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, layout.cacheDir().toString());
        // Warm starts reuse the cache: installed bundles and their state survive restarts.
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, "none");
        List<String> systemPackages = new ArrayList<>(List.of("com.sun.management"));
        systemPackages.addAll(ClassPathExports.of(FrameworkProperties.class.getClassLoader()));
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", systemPackages));
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(LATE_START_LEVEL));
        p.put("felix.startlevel.bundle", Integer.toString(DEFAULT_START_LEVEL));
        p.put("felix.log.level", "1");
        // Until the OSGi Log service starts, SCR prints its own warnings and errors.
        p.put("ds.loglevel", "warn");
        // SCR keeps the parsed component descriptions in its data area at shutdown and reads them
        // back at the next start (each bundle's entry only if its last-modified time is unchanged),
        // instead of parsing every bundle's component XML again: ~75 ms of a warm boot.
        p.put("ds.cache.metadata", "true");
        p.put(HTTP_PORT, Integer.toString(httpPort));
        // Jetty starts when etc/org.apache.felix.http.cfg arrives, on Configuration Admin's thread,
        // instead of in its bundle's activator on the thread that starts every bundle after it:
        // ~60 ms of a warm boot.
        p.put(HTTP_REQUIRE_CONFIG, "true");

        p.put("felix.fileinstall.dir", layout.etcDir().toString());
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.log.level", "1");
        // Its scratch directory, else a fresh fileinstall-<random> in /tmp that only a clean exit removes.
        p.put("felix.fileinstall.tmpdir", layout.dataDir().resolve("tmp").resolve("fileinstall-etc").toString());
        // The files in etc/ are the operator's: configuration changed at run time (the swap
        // manager's service.ranking) stays in Configuration Admin instead of being written into them.
        p.put("felix.fileinstall.enableConfigSave", "false");

        p.put(SLICEPLANE_DATA, layout.dataDir().toString());
        p.put(SLICEPLANE_HOME, layout.home().toString());
        p.put(SLICEPLANE_DEPLOY, layout.deployDir().toString());
        p.put(SLICEPLANE_HTTP_PORT, Integer.toString(httpPort));
        p.put(SLICEPLANE_VERSION, version);
        if (!console) {
            // Without a terminal the shell must not read stdin.
            p.put("gosh.args", "--nointeractive");
        }

        Path overrides = layout.frameworkPropertiesFile();
        if (Files.isRegularFile(overrides)) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(overrides)) {
                file.load(in);
            }
            for (String key : file.stringPropertyNames()) {
                p.put(key, file.getProperty(key));
            }
        }
        return p;
    }
}
