package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.sliceplane.vmm.api.VmmException;

/**
 * The slivers' directories under the state directory ({@code slivers/<name>/} with
 * {@code sliver.json}, {@code home/} and {@code programs/<id>/}) and their records. A record is
 * written to a temporary file and renamed over the old one, so a crash leaves the old or the
 * new record, never half of one. There is no fsync: records change on every event, and a
 * power loss may cost the newest change, which a restart then re-reads from the kernel.
 */
final class RecordStore {

    static final String RECORD = "sliver.json";

    private final Path slivers;
    private final ObjectMapper json = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    RecordStore(Path stateDirectory) {
        this.slivers = stateDirectory.resolve("slivers");
        try {
            Files.createDirectories(slivers);
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot create " + slivers + ": " + e, e);
        }
    }

    Path dir(String sliver) {
        return slivers.resolve(sliver);
    }

    Path home(String sliver) {
        return dir(sliver).resolve("home");
    }

    Path programDir(String sliver, String programId) {
        return dir(sliver).resolve("programs").resolve(programId);
    }

    /** Names of the directories under {@code slivers/}. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(slivers, Files::isDirectory)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot list " + slivers + ": " + e, e);
        }
        names.sort(null);
        return names;
    }

    /** The sliver's record; throws {@link IOException} when it is missing or unreadable. */
    SliverRecord read(String sliver) throws IOException {
        return json.readValue(dir(sliver).resolve(RECORD).toFile(), SliverRecord.class);
    }

    void write(SliverRecord record) {
        Path target = dir(record.name()).resolve(RECORD);
        try {
            writeAtomically(target, json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot write " + target + ": " + e, e);
        }
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a directory tree; one that is already gone is fine. */
    static void deleteTree(Path root) throws IOException {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        }
    }
}
