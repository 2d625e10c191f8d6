package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a destroyed sliver's directory goes: renamed into {@code trash/} at once (microseconds),
 * then deleted by one background thread. Deleting directories can take milliseconds each on ext4
 * (it waits on the journal), which would make destroy slow for no benefit to the caller; the
 * sliver is gone from {@code slivers/} when destroy returns. Trash left by a crash is deleted
 * when the backend opens. The thread ends with the backend.
 */
final class Trash implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Trash.class);

    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "sliceplane-vmm-linux-trash");
        thread.setDaemon(true);
        return thread;
    });

    Trash(Path stateDirectory) throws IOException {
        this.dir = Files.createDirectories(stateDirectory.resolve("trash"));
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
            left.forEach(this::deleteLater);
        }
    }

    /** Moves a directory out of the way now and deletes it soon. */
    void discard(Path directory) throws IOException {
        Path target = dir.resolve(directory.getFileName() + "." + System.nanoTime() + "." + sequence.incrementAndGet());
        Files.move(directory, target, StandardCopyOption.ATOMIC_MOVE);
        deleteLater(target);
    }

    private void deleteLater(Path path) {
        deleter.execute(() -> {
            try {
                RecordStore.deleteTree(path);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", path, e.toString());
            }
        });
    }

    /** Finishes the deletions already asked for (up to 30 s), then stops the thread. */
    @Override
    public void close() {
        deleter.shutdown();
        try {
            if (!deleter.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("trash not emptied within 30 s; the rest is deleted at the next start");
                deleter.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleter.shutdownNow();
        }
    }
}
