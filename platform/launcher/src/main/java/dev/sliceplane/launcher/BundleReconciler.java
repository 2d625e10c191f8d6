package dev.sliceplane.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Makes the installed bundles match {@code <home>/bundles} between {@code init()} and
 * {@code start()} of the framework. The cache is the memory of a node: bundles installed from
 * anywhere else (uploads, {@code deploy/}) and the started/stopped state an operator chose for
 * ours are kept. Only the jars of the distribution are installed, updated and removed, and only
 * their start levels are set.
 */
final class BundleReconciler {

    static final String SHELL = "org.apache.felix.gogo.shell";
    /**
     * Felix Log answers every "is this level enabled?" by formatting the asking bundle's name twice,
     * and SCR asks before each of its debug messages: ~10 % of the thread that activates the
     * components. Started last, it appears once they have activated; until then SCR, Configuration
     * Admin, File Install and Felix HTTP print their warnings and errors themselves.
     */
    static final String LOG = "org.apache.felix.log";
    private static final String SERVICE_COMPONENT = "Service-Component";

    private static final Pattern SERVICELOADER_PROVIDER = Pattern.compile("(^|,)\\s*osgi\\.serviceloader\\s*(;|,|$)");
    private static final long REFRESH_TIMEOUT_SECONDS = 30;
    /** In the system bundle's data area, so a cleaned cache forgets it with the bundles. */
    static final String FINGERPRINTS = "distribution-jars.properties";
    /**
     * The {@code bundles/} directory of the last start, beside the fingerprints: a release unpacked
     * into a new directory and started on the same data replaces the old directory's bundles
     * instead of installing its own beside them.
     */
    static final String LAST_BUNDLES_DIR = "distribution-bundles-dir";

    private final BundleContext context;
    private final Path bundlesDir;
    private final String bundlesPrefix;
    private final ProblemReporter problems;
    /** The bundles directory of the last start when it was another one, else null. */
    private String previousPrefix;

    BundleReconciler(BundleContext context, Path bundlesDir, ProblemReporter problems) {
        this.context = context;
        this.bundlesDir = bundlesDir;
        this.bundlesPrefix = bundlesDir.toUri().toString();
        this.problems = problems;
    }

    static String location(Path jar) {
        return jar.toUri().toString();
    }

    void reconcile() throws IOException, InterruptedException {
        Path lastBundlesDir = context.getDataFile(LAST_BUNDLES_DIR).toPath();
        previousPrefix = readPreviousPrefix(lastBundlesDir);
        List<Path> jars = listJars();
        Set<String> present = new HashSet<>();
        jars.forEach(jar -> present.add(location(jar)));
        Map<String, Bundle> installed = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getBundleId() != 0) {
                installed.put(bundle.getLocation(), bundle);
            }
        }

        boolean refresh = false;
        // Uninstall first, so a renamed jar with the same name and version installs cleanly.
        for (Bundle bundle : installed.values()) {
            if (isOurs(bundle.getLocation()) && !present.contains(bundle.getLocation())) {
                refresh |= uninstall(bundle);
            }
        }
        List<Bundle> ours = new ArrayList<>();
        Set<Bundle> fresh = new HashSet<>();
        JarFingerprints fingerprints = JarFingerprints.load(context.getDataFile(FINGERPRINTS).toPath());
        for (Path jar : jars) {
            String location = location(jar);
            Bundle bundle = installed.get(location);
            boolean current = true;
            if (bundle == null) {
                bundle = install(jar);
                if (bundle != null) {
                    fresh.add(bundle);
                }
            } else if (!fingerprints.unchanged(location, jar)) {
                Outcome outcome = updateIfChanged(bundle, jar);
                refresh |= outcome == Outcome.UPDATED;
                current = outcome != Outcome.FAILED;
            }
            if (bundle != null) {
                ours.add(bundle);
                if (current) {
                    fingerprints.record(location, jar);
                }
            }
        }
        saveQuietly(fingerprints);
        if (previousPrefix != null || !Files.exists(lastBundlesDir)) {
            recordBundlesDir(lastBundlesDir);
        }
        if (refresh) {
            refresh();
        }
        for (Bundle bundle : ours) {
            prepareStart(bundle, fresh.contains(bundle));
        }
    }

    /** Without the file the next start only checks every jar again. */
    private void saveQuietly(JarFingerprints fingerprints) {
        try {
            fingerprints.save();
        } catch (IOException e) {
            problems.report("cannot record the checked bundles in " + context.getDataFile(FINGERPRINTS), e);
        }
    }

    private List<Path> listJars() throws IOException {
        if (!Files.isDirectory(bundlesDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(bundlesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        }
    }

    /** A location directly inside {@code bundles/}, or the last start's, whatever the file's fate. */
    private boolean isOurs(String location) {
        return isDirectlyIn(location, bundlesPrefix) || (previousPrefix != null && isDirectlyIn(location, previousPrefix));
    }

    private static boolean isDirectlyIn(String location, String directoryPrefix) {
        return location.startsWith(directoryPrefix) && location.indexOf('/', directoryPrefix.length()) < 0;
    }

    /** The last start's bundles directory (as a location prefix) if it differs from this one's. */
    private String readPreviousPrefix(Path file) {
        try {
            String previous = Files.readString(file, StandardCharsets.UTF_8).strip();
            return previous.isEmpty() || previous.equals(bundlesPrefix) ? null : previous;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            problems.report("cannot read " + file + "; bundles of an earlier distribution directory stay installed", e);
            return null;
        }
    }

    private void recordBundlesDir(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, bundlesPrefix + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.report("cannot record the bundles directory in " + file, e);
        }
    }

    private enum Outcome { UNCHANGED, UPDATED, FAILED }

    private Outcome updateIfChanged(Bundle bundle, Path jar) {
        try {
            if (!isChanged(bundle, jar)) {
                return Outcome.UNCHANGED;
            }
        } catch (IOException e) {
            problems.report("cannot read " + bundlesDir.relativize(jar) + "; keeping the installed bundle", e);
            return Outcome.FAILED;
        }
        return update(bundle, jar) ? Outcome.UPDATED : Outcome.FAILED;
    }

    /**
     * Newer file, or a different version: unpacking a release keeps the jars' build times, which
     * can be older than the installation they replace.
     */
    private static boolean isChanged(Bundle bundle, Path jar) throws IOException {
        if (Files.getLastModifiedTime(jar).toMillis() > bundle.getLastModified()) {
            return true;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String version = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            return !Objects.equals(parseVersion(version), bundle.getVersion());
        }
    }

    private static Version parseVersion(String version) {
        try {
            return Version.parseVersion(version);
        } catch (IllegalArgumentException e) {
            return null; // not comparable: an update will report what is wrong with the jar
        }
    }

    private Bundle install(Path jar) {
        try {
            return context.installBundle(location(jar));
        } catch (BundleException | RuntimeException e) {
            problems.report("cannot install " + bundlesDir.relativize(jar), e);
            return null;
        }
    }

    private boolean update(Bundle bundle, Path jar) {
        // From the jar itself, not from a Bundle-UpdateLocation the manifest might name.
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
            return true;
        } catch (BundleException | IOException | RuntimeException e) {
            problems.report("cannot update " + bundlesDir.relativize(jar), e);
            return false;
        }
    }

    private boolean uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
            return true;
        } catch (BundleException | RuntimeException e) {
            problems.report("cannot uninstall " + bundle.getLocation(), e);
            return false;
        }
    }

    /** Lets bundles wired to replaced or removed revisions rewire before anything starts. */
    private void refresh() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            problems.report("bundle refresh did not finish within " + REFRESH_TIMEOUT_SECONDS + " s");
        }
    }

    /**
     * Before {@code framework.start()} a {@code start()} only marks the bundle to be started when
     * its start level is reached; failures arrive later as framework events.
     */
    private void prepareStart(Bundle bundle, boolean fresh) {
        Dictionary<String, String> headers = bundle.getHeaders("");
        if (headers.get(Constants.FRAGMENT_HOST) != null) {
            return; // fragments attach to their host; they are never started
        }
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        int level = isEarly(headers) ? FrameworkProperties.EARLY_START_LEVEL
                : LOG.equals(bundle.getSymbolicName()) ? FrameworkProperties.LATE_START_LEVEL
                : FrameworkProperties.DEFAULT_START_LEVEL;
        if (startLevel.getStartLevel() != level) {
            startLevel.setStartLevel(level);
        }
        try {
            if (SHELL.equals(bundle.getSymbolicName())) {
                if (startLevel.isPersistentlyStarted()) {
                    // The launcher starts the shell transiently, after the banner and only on a
                    // terminal; a transient stop would be a no-op before the framework starts.
                    bundle.stop();
                }
            } else if (fresh) {
                bundle.start();
            }
        } catch (BundleException | RuntimeException e) {
            problems.report("cannot start " + bundle.getSymbolicName(), e);
        }
    }

    /**
     * Pure service-loader providers (slf4j-simple and other logging bindings) start first, so
     * they are registered before anything calls {@code LoggerFactory}. A provider with code of
     * its own to run (an activator or components, as Jetty has) would call it too early itself.
     */
    static boolean isEarly(Dictionary<String, String> headers) {
        String capabilities = headers.get(Constants.PROVIDE_CAPABILITY);
        return capabilities != null && SERVICELOADER_PROVIDER.matcher(capabilities).find()
                && headers.get(Constants.BUNDLE_ACTIVATOR) == null && headers.get(SERVICE_COMPONENT) == null;
    }
}
