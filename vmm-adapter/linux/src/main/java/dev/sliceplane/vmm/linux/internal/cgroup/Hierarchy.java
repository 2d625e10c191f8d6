package dev.sliceplane.vmm.linux.internal.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sliceplane.vmm.api.VmmException;

/**
 * The Sliceplane root inside one cgroup hierarchy ({@code <mount>/<cgroupRoot>}) and the sliver
 * cgroups under it. v1 has one per mounted hierarchy, v2 exactly one; directory handling is the
 * same for both, so it lives here once.
 */
final class Hierarchy {

    private final Path root;

    Hierarchy(Path mount, String cgroupRoot) {
        this.root = mount.resolve(cgroupRoot);
    }

    Path root() {
        return root;
    }

    Path dir(String sliver) {
        return root.resolve(sliver);
    }

    Path file(String sliver, String name) {
        return root.resolve(sliver).resolve(name);
    }

    void prepare() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw CgroupFiles.failure("cannot create the cgroup root " + root, e);
        }
    }

    boolean exists(String sliver) {
        return Files.isDirectory(dir(sliver));
    }

    void create(String sliver) {
        try {
            Files.createDirectory(dir(sliver));
        } catch (FileAlreadyExistsException e) {
            throw new VmmException(VmmException.Reason.ALREADY_EXISTS, "cgroup " + dir(sliver) + " already exists", e);
        } catch (IOException e) {
            throw CgroupFiles.failure("cannot create cgroup " + dir(sliver), e);
        }
    }

    /**
     * Removes a sliver's cgroup; one that is already gone is fine. The kernel refuses (EBUSY)
     * while a killed process is still on its way out, so this retries for a while.
     */
    void remove(String sliver, long timeoutNanos) {
        Path dir = dir(sliver);
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = TimeUnit.MICROSECONDS.toNanos(100);
        while (true) {
            try {
                Files.delete(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw CgroupFiles.failure("cannot remove cgroup " + dir, e);
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** Names of the cgroups under the root. */
    List<String> children() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return names;
        } catch (IOException e) {
            throw CgroupFiles.failure("cannot list " + root, e);
        }
        return names;
    }

    Path procs(String sliver) {
        return file(sliver, "cgroup.procs");
    }

    long[] processes(String sliver) {
        return CgroupFiles.pids(procs(sliver));
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
