package dev.sliceplane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkPropertiesTest {

    @TempDir
    Path home;
    @TempDir
    Path data;

    @Test
    void pointsTheFrameworkAtTheDataDirectory() throws IOException {
        Map<String, String> p = FrameworkProperties.build(new DistributionLayout(home, data), 9090, "1.2.3", false);
        assertEquals(data.resolve("felix-cache").toString(), p.get("org.osgi.framework.storage"));
        assertEquals("none", p.get("org.osgi.framework.storage.clean"));
        assertEquals(data.resolve("etc").toString(), p.get("felix.fileinstall.dir"));
        assertEquals(data.resolve("tmp/fileinstall-etc").toString(), p.get("felix.fileinstall.tmpdir"));
        assertEquals("true", p.get(FrameworkProperties.HTTP_REQUIRE_CONFIG));
        assertEquals(data.resolve("deploy").toString(), p.get("sliceplane.deploy"));
        assertEquals(home.toString(), p.get("sliceplane.home"));
        assertEquals("9090", p.get("org.osgi.service.http.port"));
        assertEquals("9090", p.get("sliceplane.http.port"));
        assertEquals("1.2.3", p.get("sliceplane.version"));
        assertEquals("3", p.get("org.osgi.framework.startlevel.beginning"));
        assertEquals("--nointeractive", p.get("gosh.args"));
    }

    /** Bundles import slf4j from the system bundle: both versions its API jar declares. */
    @Test
    void systemBundleExportsTheLoggingApiOfTheClassPath() throws IOException {
        String extra = FrameworkProperties.build(new DistributionLayout(home, data), 8080, "1", false)
                .get("org.osgi.framework.system.packages.extra");
        assertTrue(extra.startsWith("com.sun.management,"), extra);
        assertTrue(extra.contains("org.slf4j;uses:=") && extra.contains("version=\"2.0."), extra);
        assertTrue(extra.contains("org.slf4j;version=\"1.7."), extra);
        assertTrue(extra.contains("org.slf4j.spi;"), extra);
    }

    @Test
    void shellArgumentsOnlyWithoutConsole() throws IOException {
        assertFalse(FrameworkProperties.build(new DistributionLayout(home, data), 8080, "1", true).containsKey("gosh.args"));
    }

    @Test
    void operatorFileOverrides() throws IOException {
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/framework.properties"), "felix.log.level=4\ncustom=yes\n");
        Map<String, String> p = FrameworkProperties.build(new DistributionLayout(home, data), 8080, "1", true);
        assertEquals("4", p.get("felix.log.level"));
        assertEquals("yes", p.get("custom"));
    }
}
