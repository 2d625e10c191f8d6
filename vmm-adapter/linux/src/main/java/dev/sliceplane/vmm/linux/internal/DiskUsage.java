package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The bytes stored under one sliver's home, walked at most once per interval: walking a big tree
 * on every one-second sample would cost more than all the cgroup reads together.
 */
final class DiskUsage {

    private final long intervalNanos;
    private long bytes;
    private long walkedAt;
    private boolean walked;

    DiskUsage(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    long bytes(Path home, long nowNanos) {
        if (!walked || nowNanos - walkedAt >= intervalNanos) {
            bytes = sizeOf(home);
            walkedAt = nowNanos;
            walked = true;
        }
        return bytes;
    }

    /** Sum of the sizes of regular files under a directory; symbolic links are not followed. */
    static long sizeOf(Path root) {
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // a file removed while walking
                }
            });
        } catch (IOException e) {
            // the home itself is unreadable: report what was counted
        }
        return total[0];
    }
}
