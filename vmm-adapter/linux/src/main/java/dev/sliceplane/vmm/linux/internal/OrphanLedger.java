package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which orphans were already reported ({@code orphans-reported} in the state directory, one key a
 * line), so that a restart reports only new ones: {@code ORPHAN_FOUND} is an event like the others,
 * reported once. An orphan that disappears is forgotten, and reported again if it comes back.
 */
final class OrphanLedger {

    private final Path file;

    OrphanLedger(Path stateDirectory) {
        this.file = stateDirectory.resolve("orphans-reported");
    }

    /**
     * The orphans found now that were not reported before; records the found ones as reported.
     *
     * @param found orphan key (kind and name) to its message
     */
    Map<String, String> unreported(Map<String, String> found) throws IOException {
        Set<String> reported = new TreeSet<>();
        try {
            reported.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            // nothing reported yet
        }
        Map<String, String> fresh = new TreeMap<>(found);
        fresh.keySet().removeAll(reported);
        if (!reported.equals(found.keySet())) {
            RecordStore.writeAtomically(file, String.join("\n", new TreeSet<>(found.keySet())).getBytes(StandardCharsets.UTF_8));
        }
        return fresh;
    }
}
