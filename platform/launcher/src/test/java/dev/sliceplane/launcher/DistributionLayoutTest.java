package dev.sliceplane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionLayoutTest {

    @TempDir
    Path home;
    @TempDir
    Path data;

    @Test
    void createsDataDirectoriesWithoutDefaults() throws IOException {
        DistributionLayout layout = new DistributionLayout(home, data.resolve("var"));
        assertEquals(List.of(), layout.prepareDataDir());
        assertTrue(Files.isDirectory(data.resolve("var/etc")));
        assertTrue(Files.isDirectory(data.resolve("var/deploy")));
    }

    @Test
    void copiesMissingDefaultsAndKeepsExistingFiles() throws IOException {
        Files.createDirectories(home.resolve("etc/sub"));
        Files.writeString(home.resolve("etc/a.cfg"), "default a");
        Files.writeString(home.resolve("etc/b.cfg"), "default b");
        Files.writeString(home.resolve("etc/sub/c.cfg"), "default c");
        Files.createDirectories(data.resolve("etc"));
        Files.writeString(data.resolve("etc/a.cfg"), "edited by the operator");

        DistributionLayout layout = new DistributionLayout(home, data);
        List<Path> copied = layout.prepareDataDir();

        assertEquals(List.of(data.resolve("etc/b.cfg"), data.resolve("etc/sub/c.cfg")), copied);
        assertEquals("edited by the operator", Files.readString(data.resolve("etc/a.cfg")));
        assertEquals("default b", Files.readString(data.resolve("etc/b.cfg")));
        assertEquals("default c", Files.readString(data.resolve("etc/sub/c.cfg")));
    }

    @Test
    void secondStartCopiesNothingAndRestoresDeletedDefaults() throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/a.cfg"), "default a");
        DistributionLayout layout = new DistributionLayout(home, data);
        layout.prepareDataDir();
        Files.writeString(data.resolve("etc/a.cfg"), "edited");

        assertEquals(List.of(), layout.prepareDataDir());
        assertEquals("edited", Files.readString(data.resolve("etc/a.cfg")));

        Files.delete(data.resolve("etc/a.cfg"));
        assertEquals(List.of(data.resolve("etc/a.cfg")), layout.prepareDataDir());
    }

    @Test
    void pathsBelowHomeAndData() {
        DistributionLayout layout = new DistributionLayout(home, data);
        assertEquals(home.resolve("bundles"), layout.bundlesDir());
        assertEquals(data.resolve("felix-cache"), layout.cacheDir());
        assertEquals(data.resolve("etc/framework.properties"), layout.frameworkPropertiesFile());
    }
}
