package dev.sliceplane.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What each distribution jar was, as a file, when the reconciler last found its bundle current:
 * device, inode, size, modification and change times. A jar whose fingerprint is unchanged is
 * the very file that was checked, so a warm start need not open it to read its manifest again.
 * Replacing or rewriting a file always moves its change time, which no unpacking tool can set,
 * so a new release with old time stamps and equal sizes is still noticed. Where the file system
 * offers no such attributes, nothing is recorded and every jar is checked as before.
 */
final class JarFingerprints {

    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    private final Path file;
    private final Properties recorded;
    private final Properties current = new Properties();

    private JarFingerprints(Path file, Properties recorded) {
        this.file = file;
        this.recorded = recorded;
    }

    /** The fingerprints kept in {@code file}; none when it is absent or unreadable. */
    static JarFingerprints load(Path file) {
        Properties recorded = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            recorded.load(in);
        } catch (NoSuchFileException e) {
            // first start, or a cleaned cache
        } catch (IOException | IllegalArgumentException e) {
            recorded.clear(); // every jar is then checked, and the file written anew
        }
        return new JarFingerprints(file, recorded);
    }

    /** Whether {@code jar} is the file recorded for {@code location} at the last reconciliation. */
    boolean unchanged(String location, Path jar) {
        String before = recorded.getProperty(location);
        return before != null && of(jar).filter(before::equals).isPresent();
    }

    /** Notes {@code jar} as current for {@code location}; only what is noted is kept by {@link #save}. */
    void record(String location, Path jar) {
        of(jar).ifPresent(fingerprint -> current.setProperty(location, fingerprint));
    }

    /**
     * Replaces the file with what was recorded, atomically so a crash leaves the old or the new
     * one; leaves it alone when that is what it holds already.
     */
    void save() throws IOException {
        if (current.equals(recorded)) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            current.store(out, "Distribution jars as last found current by the launcher; safe to delete");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<String> of(Path jar) {
        try {
            Map<String, Object> a = Files.readAttributes(jar, ATTRIBUTES);
            return Optional.of(a.get("dev") + ":" + a.get("ino") + ":" + a.get("size") + ":"
                    + millis(a.get("lastModifiedTime")) + ":" + nanos(a.get("ctime")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long millis(Object time) {
        return ((FileTime) time).toMillis();
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }
}
