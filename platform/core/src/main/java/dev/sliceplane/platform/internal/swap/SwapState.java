package dev.sliceplane.platform.internal.swap;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The operator's choices, persisted: the active implementation of each sub-service and the
 * service ranking it was given. Written atomically (temporary file, fsync, rename), so a crash
 * leaves either the old or the new choice, never a torn file.
 */
final class SwapState {

    private final Path file;
    private final Properties values = new Properties();

    SwapState(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    synchronized Optional<String> active(String service) {
        return Optional.ofNullable(values.getProperty("active." + service));
    }

    synchronized int rank(String service) {
        return Integer.parseInt(values.getProperty("rank." + service, "0"));
    }

    synchronized void record(String service, String implementation, int rank) {
        values.setProperty("active." + service, implementation);
        values.setProperty("rank." + service, Integer.toString(rank));
        save();
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                values.store(out, "Active sub-service implementations; written by the swap manager");
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
