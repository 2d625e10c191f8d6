package dev.sliceplane.nodemanager.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the slice members' public keys into {@code <sliver home>/.ssh/authorized_keys}, so they
 * can log into their sliver, as PlanetLab's node manager did. The directory is made 0700 and the
 * file 0600 (sshd ignores keys others can write), written to a temporary file and renamed, so a
 * crash never leaves half a key list.
 */
final class AuthorizedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private AuthorizedKeys() {
    }

    /** Writes every member's keys (OpenSSH one-line format), replacing what was there. */
    static Path install(Path home, Map<String, List<String>> memberKeys) throws IOException {
        Path ssh = home.resolve(".ssh");
        Files.createDirectories(ssh);
        setPermissions(ssh, DIRECTORY);
        StringBuilder text = new StringBuilder();
        new TreeMap<>(memberKeys).forEach((member, keys) -> {
            for (String key : keys) {
                // One key per line: a key with a line break in it could smuggle in another entry.
                if (key == null || key.isBlank() || key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
                    LOG.warn("skipped a malformed public key of {}", member);
                    continue;
                }
                text.append(key.strip()).append('\n');
            }
        });
        Path file = ssh.resolve("authorized_keys");
        Path temporary = ssh.resolve("authorized_keys.tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        setPermissions(temporary, FILE);
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            LOG.debug("no POSIX permissions on {}", path);
        }
    }
}
