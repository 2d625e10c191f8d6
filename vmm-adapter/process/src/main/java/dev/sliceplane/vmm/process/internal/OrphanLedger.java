package dev.sliceplane.vmm.process.internal;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The orphans already reported ({@code orphans.json}), so each is reported once, not at every
 * restart. An orphan that is no longer found is dropped from it.
 */
final class OrphanLedger {

    record Entries(Set<String> reported) {
    }

    private final RecordStore store;
    private final Path file;
    private final Set<String> reported;
    private final Set<String> found = new HashSet<>();

    OrphanLedger(RecordStore store, Path file) {
        this.store = store;
        this.file = file;
        Set<String> known;
        try {
            known = store.read(file, Entries.class).map(Entries::reported).orElse(Set.of());
        } catch (RuntimeException e) {
            known = Set.of(); // an unreadable ledger means some orphans are reported again, nothing worse
        }
        this.reported = new HashSet<>(known);
    }

    /** Notes an orphan found now; true if it was not reported before. */
    boolean isNew(String key) {
        found.add(key);
        return reported.add(key);
    }

    /** Forgets orphans not found in this pass and saves the ledger. */
    void save() {
        reported.retainAll(found);
        store.write(file, new Entries(Set.copyOf(reported)));
    }
}
