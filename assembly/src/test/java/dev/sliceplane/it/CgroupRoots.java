package dev.sliceplane.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes the cgroup roots a test gave its nodes. A node never removes its root (slivers outlive
 * it), so without this every run would leave empty directories in each v1 hierarchy.
 */
final class CgroupRoots {

    private CgroupRoots() {
    }

    /** Removes the (by now empty) cgroup directories whose root name starts with the prefix, deepest first. */
    static void removeAll(String prefix) {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                try (Stream<Path> roots = Files.list(hierarchy)) {
                    for (Path root : roots.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                        try (Stream<Path> tree = Files.walk(root)) {
                            tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder())
                                    .forEach(directory -> directory.toFile().delete());
                        }
                    }
                } catch (IOException e) {
                    // not a hierarchy (a file such as cgroup.procs on v2), or nothing of ours in it
                }
            }
        } catch (IOException e) {
            // no cgroup file system here: nothing was made
        }
    }
}
