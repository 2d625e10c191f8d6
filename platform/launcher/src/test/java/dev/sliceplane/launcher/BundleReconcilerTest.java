package dev.sliceplane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

/** Runs the reconciler against a real Felix on a cache that survives between "launches". */
class BundleReconcilerTest {

    @TempDir
    Path bundles;
    @TempDir
    Path cache;
    @TempDir
    Path elsewhere;
    @TempDir
    Path upgraded;

    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
    private final ProblemReporter reporter = new ProblemReporter(new PrintStream(problems, true, StandardCharsets.UTF_8), false);
    private Framework framework;

    @AfterEach
    void stopFramework() throws Exception {
        stop();
    }

    @Test
    void firstLaunchInstallsAndMarksForStart() throws Exception {
        jar(bundles, "a.jar", "test.a", "1.0.0");
        jar(bundles, "b-fragment.jar", "test.b", "1.0.0", "Fragment-Host", "test.a");
        jar(bundles, "c-logging.jar", "test.c", "1.0.0", "Provide-Capability",
                "osgi.service;objectClass:List<String>=\"x.Y\",osgi.serviceloader;osgi.serviceloader=\"x.Y\"");
        jar(bundles, "d-http.jar", "test.d", "1.0.0", "Provide-Capability", "osgi.serviceloader;osgi.serviceloader=\"x.Y\"",
                "Bundle-Activator", "test.d.Missing");
        jar(bundles, "shell.jar", BundleReconciler.SHELL, "1.1.4");
        jar(bundles, "log.jar", BundleReconciler.LOG, "1.3.0");
        Files.writeString(bundles.resolve("notes.txt"), "not a bundle");

        launch();

        assertEquals(6, framework.getBundleContext().getBundles().length - 1);
        assertTrue(persistentlyStarted("test.a"));
        assertFalse(persistentlyStarted("test.b"));
        assertTrue(persistentlyStarted("test.c"));
        assertFalse(persistentlyStarted(BundleReconciler.SHELL));
        assertEquals(2, startLevel("test.a"));
        assertEquals(1, startLevel("test.c"));
        assertEquals(2, startLevel("test.d"));
        assertEquals(3, startLevel(BundleReconciler.LOG));

        framework.start();
        assertEquals(Bundle.ACTIVE, bundle("test.a").getState());
        assertEquals(Bundle.ACTIVE, bundle("test.c").getState());
        assertNotEquals(Bundle.ACTIVE, bundle(BundleReconciler.SHELL).getState());
        assertEquals(Bundle.RESOLVED, bundle("test.d").getState());
        // the failed activator arrives as an asynchronous framework event: one line, no stack trace
        long deadline = System.currentTimeMillis() + 5_000;
        while (problems.size() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // Felix logs the failure and fires it as an event: it must print once
        String[] lines = problems.toString().split("\\R");
        assertEquals(1, lines.length, problems.toString());
        assertTrue(lines[0].startsWith("sliceplane: ") && lines[0].contains("ClassNotFoundException: test.d.Missing"), lines[0]);
    }

    @Test
    void warmLaunchUpdatesRemovesAndKeepsOperatorChoices() throws Exception {
        Path a = jar(bundles, "a.jar", "test.a", "1.0.0");
        jar(bundles, "b.jar", "test.b", "1.0.0");
        Path gone = jar(bundles, "gone.jar", "test.gone", "1.0.0");
        launch();
        framework.start();
        bundle("test.b").stop(); // the operator's choice
        framework.getBundleContext().installBundle(jar(elsewhere, "upload.jar", "test.upload", "1.0.0").toUri().toString());
        stop();

        jar(bundles, "a.jar", "test.a", "1.1.0");
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().plusSeconds(60)));
        Files.delete(gone);
        launch();

        assertEquals(new Version(1, 1, 0), bundle("test.a").getVersion());
        assertNull(bundle("test.gone"));
        assertNotNull(bundle("test.upload"));
        assertTrue(persistentlyStarted("test.a"));
        assertFalse(persistentlyStarted("test.b"));
        assertEquals("", problems.toString());
    }

    @Test
    void aReleaseUnpackedElsewhereReplacesTheOldDirectorysBundles() throws Exception {
        jar(bundles, "a.jar", "test.a", "1.0.0");
        jar(bundles, "gone.jar", "test.gone", "1.0.0");
        launch();
        framework.getBundleContext().installBundle(jar(elsewhere, "upload.jar", "test.upload", "1.0.0").toUri().toString());
        stop();

        // The same name and version as the old directory's: beside it, it would not be unique.
        jar(upgraded, "a.jar", "test.a", "1.0.0");
        jar(upgraded, "b.jar", "test.b", "2.0.0");
        launch(upgraded);
        assertEquals(upgraded.resolve("a.jar").toUri().toString(), bundle("test.a").getLocation());
        assertNull(bundle("test.gone"));
        assertNotNull(bundle("test.b"));
        assertNotNull(bundle("test.upload"), "bundles from elsewhere stay");
        assertEquals(4, framework.getBundleContext().getBundles().length);
        assertEquals("", problems.toString());
        stop();

        launch(upgraded);
        assertEquals(4, framework.getBundleContext().getBundles().length, "a warm start of the new one changes nothing");
    }

    @Test
    void olderJarWithAnotherVersionIsStillAnUpdate() throws Exception {
        Path a = jar(bundles, "a.jar", "test.a", "1.0.0");
        launch();
        stop();

        jar(bundles, "a.jar", "test.a", "2.0.0");
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        launch();
        assertEquals(new Version(2, 0, 0), bundle("test.a").getVersion());
    }

    @Test
    void aWarmLaunchRecordsTheCheckedJarsAndStillSeesAReplacedOne() throws Exception {
        Path a = jar(bundles, "a.jar", "test.a", "1.0.0");
        jar(bundles, "b.jar", "test.b", "1.0.0");
        launch();
        Path recorded = framework.getBundleContext().getDataFile(BundleReconciler.FINGERPRINTS).toPath();
        String first = Files.readString(recorded);
        assertTrue(first.contains("a.jar=") && first.contains("b.jar="), first);
        stop();

        // Same size and an old time stamp, as an unpacked release can have: only the file changed.
        FileTime stamp = Files.getLastModifiedTime(a);
        jar(bundles, "a.jar", "test.a", "2.0.0");
        Files.setLastModifiedTime(a, stamp);
        launch();
        assertEquals(new Version(2, 0, 0), bundle("test.a").getVersion());
        assertEquals("", problems.toString());
    }

    @Test
    void anUnreadableJarIsReportedAtEveryLaunch() throws Exception {
        Path a = jar(bundles, "a.jar", "test.a", "1.0.0");
        launch();
        stop();

        FileTime stamp = Files.getLastModifiedTime(a);
        Files.writeString(a, "not a zip any more");
        Files.setLastModifiedTime(a, stamp);
        launch();
        stop();
        launch();
        assertEquals(new Version(1, 0, 0), bundle("test.a").getVersion());
        String[] reports = problems.toString().split("\\R");
        assertEquals(2, reports.length, problems.toString());
        assertTrue(reports[1].startsWith("sliceplane: cannot read a.jar; keeping the installed bundle"), reports[1]);
    }

    @Test
    void shellIsNeverMarkedForStart() throws Exception {
        jar(bundles, "shell.jar", BundleReconciler.SHELL, "1.1.4");
        launch();
        assertFalse(persistentlyStarted(BundleReconciler.SHELL));
        bundle(BundleReconciler.SHELL).start(); // e.g. by an operator
        stop();

        launch();
        assertFalse(persistentlyStarted(BundleReconciler.SHELL));
    }

    @Test
    void aBrokenJarIsReportedAndTheRestInstalled() throws Exception {
        Files.writeString(bundles.resolve("broken.jar"), "not a zip");
        jar(bundles, "ok.jar", "test.ok", "1.0.0");
        launch();
        assertNotNull(bundle("test.ok"));
        assertTrue(problems.toString().startsWith("sliceplane: cannot install broken.jar: "), problems.toString());
    }

    @Test
    void onlyPureServiceLoaderProvidersStartEarly() {
        assertTrue(BundleReconciler.isEarly(headers("Provide-Capability", "osgi.serviceloader;osgi.serviceloader=\"a.B\"")));
        assertTrue(BundleReconciler.isEarly(headers("Provide-Capability",
                "osgi.service;effective:=active, osgi.serviceloader;osgi.serviceloader=\"a.B\"")));
        assertFalse(BundleReconciler.isEarly(headers("Provide-Capability", "osgi.serviceloader;osgi.serviceloader=\"a.B\"",
                "Bundle-Activator", "a.Activator")));
        assertFalse(BundleReconciler.isEarly(headers("Provide-Capability", "osgi.serviceloader;osgi.serviceloader=\"a.B\"",
                "Service-Component", "OSGI-INF/a.xml")));
        assertFalse(BundleReconciler.isEarly(headers("Provide-Capability",
                "osgi.extender;osgi.extender=\"osgi.serviceloader.registrar\"")));
        assertFalse(BundleReconciler.isEarly(headers()));
    }

    private static Dictionary<String, String> headers(String... pairs) {
        Hashtable<String, String> headers = new Hashtable<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    private void launch() throws Exception {
        launch(bundles);
    }

    private void launch(Path distributionBundles) throws Exception {
        framework = Main.newFramework(Map.of(
                "org.osgi.framework.storage", cache.toString(),
                "org.osgi.framework.storage.clean", "none",
                "org.osgi.framework.startlevel.beginning", "2",
                "felix.startlevel.bundle", "2"), reporter);
        framework.init();
        framework.getBundleContext().addFrameworkListener(reporter);
        new BundleReconciler(framework.getBundleContext(), distributionBundles, reporter).reconcile();
    }

    private void stop() throws BundleException, InterruptedException {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
            framework = null;
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(framework.getBundleContext().getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    private boolean persistentlyStarted(String symbolicName) {
        return bundle(symbolicName).adapt(BundleStartLevel.class).isPersistentlyStarted();
    }

    private int startLevel(String symbolicName) {
        return bundle(symbolicName).adapt(BundleStartLevel.class).getStartLevel();
    }

    private static Path jar(Path dir, String file, String symbolicName, String version, String... headers) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        for (int i = 0; i < headers.length; i += 2) {
            main.putValue(headers[i], headers[i + 1]);
        }
        Path jar = dir.resolve(file);
        // a manifest is all a test bundle needs
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();
        return jar;
    }
}
