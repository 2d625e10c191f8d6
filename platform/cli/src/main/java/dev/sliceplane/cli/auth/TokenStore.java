package dev.sliceplane.cli.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.CliException;

/**
 * Access tokens per node URL in {@code tokens.json} under the configuration directory. The file
 * holds bearer credentials, so it is written owner-only (0600, directory 0700) through a temporary
 * file moved into place: a reader never sees half a file, and the secret is never briefly readable
 * by others. A file found readable by others is tightened, with a warning. Two commands saving at
 * once: the last one wins, and the other logs in again when it next needs to.
 */
public final class TokenStore {

    static final String FILE = "tokens.json";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final Path file;
    private final ObjectMapper json;
    private final PrintStream warnings;

    public TokenStore(Path dir, ObjectMapper json, PrintStream warnings) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.json = json;
        this.warnings = warnings;
    }

    public Path file() {
        return file;
    }

    public Optional<StoredToken> get(String node) {
        JsonNode entry = readAll().path(node);
        if (!entry.isObject() || !entry.path("token").isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredToken(entry.path("token").asText(),
                    Instant.parse(entry.path("expiresAt").asText()),
                    text(entry, "apiKeyFile"), text(entry, "keyDigest")));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // an entry we cannot read is one we do not have: log in again
        }
    }

    public void put(String node, StoredToken token) {
        ObjectNode all = readAll();
        ObjectNode entry = all.putObject(node);
        entry.put("token", token.token());
        entry.put("expiresAt", token.expiresAt().toString());
        if (token.apiKeyFile() != null) {
            entry.put("apiKeyFile", token.apiKeyFile());
        }
        if (token.keyDigest() != null) {
            entry.put("keyDigest", token.keyDigest());
        }
        writeAll(all);
    }

    private static String text(JsonNode entry, String field) {
        return entry.path(field).isTextual() ? entry.path(field).asText() : null;
    }

    /** Forgets the node's token; false when there was none. */
    public boolean remove(String node) {
        ObjectNode all = readAll();
        if (all.remove(node) == null) {
            return false;
        }
        writeAll(all);
        return true;
    }

    private ObjectNode readAll() {
        if (!Files.exists(file)) {
            return json.createObjectNode();
        }
        try {
            tightenIfLoose();
            JsonNode root = json.readTree(file.toFile());
            return root instanceof ObjectNode object ? object : json.createObjectNode();
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void tightenIfLoose() throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY_FILE.containsAll(permissions)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            warnings.println("sliceplane: warning: " + file + " was "
                    + PosixFilePermissions.toString(permissions) + "; made it owner-only (rw-------)");
        }
    }

    private void writeAll(ObjectNode all) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            Path temp = Files.createTempFile(dir, FILE, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try {
                json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), all);
                move(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
