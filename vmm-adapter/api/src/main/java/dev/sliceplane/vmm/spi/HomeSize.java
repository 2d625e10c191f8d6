package dev.sliceplane.vmm.spi;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Measures a sliver's home the same way in every backend that stores homes on disk. */
public final class HomeSize {

    private HomeSize() {
    }

    /**
     * The apparent sizes of the regular files under a directory; symbolic links are not
     * followed, and files removed or unreadable while walking are not counted.
     */
    public static long bytesUnder(Path root) {
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
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // walkFileTree reports per-file failures above; the root itself unreadable counts as empty
        }
        return total[0];
    }
}
