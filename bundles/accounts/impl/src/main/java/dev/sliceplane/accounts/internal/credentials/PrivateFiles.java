package dev.sliceplane.accounts.internal.credentials;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read, for secrets: written whole or not at all (temporary file,
 * fsync, atomic rename), so a crash never leaves half a key behind.
 */
public final class PrivateFiles {

    static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Replaces {@code target} with {@code content}, readable by the owner only. */
    public static void write(Path target, byte[] content) throws IOException {
        ensureDirectory(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (posix(target.getParent())) {
            Files.createFile(temp, attribute(FILE_PERMISSIONS));
        } else {
            Files.createFile(temp);
        }
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(content));
            out.force(true);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates the directory if needed and makes it the owner's only. */
    public static void ensureDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, attribute(DIR_PERMISSIONS));
            } catch (FileAlreadyExistsException e) {
                // created concurrently; permissions are set below
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(directory);
            }
        }
        if (posix(directory)) {
            Files.setPosixFilePermissions(directory, DIR_PERMISSIONS);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
