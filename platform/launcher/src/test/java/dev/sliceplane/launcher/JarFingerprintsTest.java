package dev.sliceplane.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarFingerprintsTest {

    @TempDir
    Path dir;

    @Test
    void aSavedFingerprintMatchesTheSameFileOnly() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "content");
        Path other = Files.writeString(dir.resolve("b.jar"), "content");
        Path file = dir.resolve("state/fingerprints.properties");
        JarFingerprints fingerprints = JarFingerprints.load(file);
        assertFalse(fingerprints.unchanged("a", jar), "nothing recorded yet");
        fingerprints.record("a", jar);
        fingerprints.save();

        JarFingerprints loaded = JarFingerprints.load(file);
        assertTrue(loaded.unchanged("a", jar));
        assertFalse(loaded.unchanged("b", jar), "another location");
        assertFalse(loaded.unchanged("a", other), "another file with the same content and size");
    }

    @Test
    void rewritingAFileWithItsOldSizeAndTimeStampIsAChange() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "version 1");
        FileTime stamp = Files.getLastModifiedTime(jar);
        Path file = dir.resolve("fingerprints.properties");
        JarFingerprints fingerprints = JarFingerprints.load(file);
        fingerprints.record("a", jar);
        fingerprints.save();

        Thread.sleep(20); // past the file system's clock tick, as any real replacement is
        Files.writeString(jar, "version 2");
        Files.setLastModifiedTime(jar, stamp);
        assertFalse(JarFingerprints.load(file).unchanged("a", jar));
    }

    @Test
    void onlyWhatWasRecordedInTheLastRunIsKept() throws Exception {
        Path a = Files.writeString(dir.resolve("a.jar"), "a");
        Path b = Files.writeString(dir.resolve("b.jar"), "b");
        Path file = dir.resolve("fingerprints.properties");
        JarFingerprints first = JarFingerprints.load(file);
        first.record("a", a);
        first.record("b", b);
        first.save();

        JarFingerprints second = JarFingerprints.load(file);
        second.record("a", a);
        second.save();
        assertTrue(JarFingerprints.load(file).unchanged("a", a));
        assertFalse(JarFingerprints.load(file).unchanged("b", b));
    }

    @Test
    void anUnreadableRecordIsTreatedAsNoRecord() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "a");
        Path file = Files.writeString(dir.resolve("fingerprints.properties"), "a=\\u00zz broken escape");
        assertFalse(JarFingerprints.load(file).unchanged("a", jar));
    }
}
