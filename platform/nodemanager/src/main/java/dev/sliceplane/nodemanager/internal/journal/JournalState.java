package dev.sliceplane.nodemanager.internal.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.nodemanager.internal.Lease;

/**
 * What the journal says, folded entry by entry: the granted leases, the intents not yet resolved,
 * the slivers released but perhaps not yet destroyed, and the redeemed, ended and revoked tickets.
 * Not thread-safe: the node manager reads it once at start, under its own lock.
 */
public final class JournalState {

    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final Map<String, Lease> intents = new LinkedHashMap<>();
    private final Map<String, Lease> released = new LinkedHashMap<>();
    private final Map<String, Instant> redeemed = new LinkedHashMap<>();
    private final Map<String, Instant> ended = new LinkedHashMap<>();
    private final Map<String, Instant> revoked = new LinkedHashMap<>();
    private String backend;
    /** Every entry applied, in order, while each line read so far was one whole entry. */
    private final List<Entry> applied = new ArrayList<>();
    private boolean whole = true;

    /** Applies one entry, as the node manager did when it wrote it. */
    public void apply(Entry entry) {
        applied.add(entry);
        Lease lease = entry.lease();
        switch (entry.op()) {
            case INTENT -> {
                intents.put(lease.id(), lease);
                released.remove(lease.sliver());
                redeemed.put(lease.ticket(), lease.ticketExpires());
            }
            case ABORT -> {
                intents.remove(lease.id());
                redeemed.remove(lease.ticket());
            }
            case LEASE -> {
                intents.remove(lease.id());
                leases.put(lease.id(), lease);
                redeemed.put(lease.ticket(), lease.ticketExpires());
            }
            case UPDATE -> leases.replace(lease.id(), lease);
            case RELEASE -> {
                leases.remove(lease.id());
                intents.remove(lease.id());
                released.put(lease.sliver(), lease);
                ended.put(lease.ticket(), lease.ticketExpires());
            }
            case REDEEMED -> redeemed.put(entry.ticket(), entry.expires());
            case ENDED -> ended.put(entry.ticket(), entry.expires());
            case REVOKED -> revoked.put(entry.ticket(), entry.expires());
            case BACKEND -> backend = entry.backend();
            default -> throw new IllegalStateException("unknown journal op " + entry.op());
        }
    }

    /** The granted leases, by id. */
    public Map<String, Lease> leases() {
        return leases;
    }

    /** Intents with neither a lease nor an abort after them: a sliver may or may not exist for each. */
    public Map<String, Lease> intents() {
        return intents;
    }

    /** Released leases by sliver name: their slivers are to be destroyed. */
    public Map<String, Lease> released() {
        return released;
    }

    /** The VMM backend the journal's slivers live in; null for a journal that never recorded one. */
    public String backend() {
        return backend;
    }

    /** Whether any sliver depends on this journal: a lease, an unresolved intent, a release not yet done. */
    public boolean holdsSlivers() {
        return !leases.isEmpty() || !intents.isEmpty() || !released.isEmpty();
    }

    /** Redeemed ticket ids and when each ticket's window ends. */
    public Map<String, Instant> redeemed() {
        return redeemed;
    }

    /**
     * Ids of redeemed tickets whose leases have ended (released, reclaimed, or dropped by the
     * {@link Reconciler}), and when each ticket's window ends: the agent is told until then.
     */
    public Map<String, Instant> ended() {
        return ended;
    }

    /** Revoked ticket ids and when each ticket's window ends. */
    public Map<String, Instant> revoked() {
        return revoked;
    }

    /** Notes that the journal held something besides whole entries: a blank, unreadable or torn line. */
    void skipped() {
        whole = false;
    }

    /**
     * Whether the journal read is exactly {@code entries}, one whole line each, so writing them
     * would give back the same file.
     */
    public boolean holdsExactly(List<Entry> entries) {
        return whole && applied.equals(entries);
    }

    /**
     * The shortest journal with this state, for compaction: tickets still inside their window,
     * then every lease, then whatever is still to be destroyed or resolved; first the backend.
     */
    public List<Entry> snapshot(Instant now, String currentBackend) {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.backend(currentBackend));
        redeemed.forEach((ticket, expires) -> {
            if (now.isBefore(expires)) {
                entries.add(Entry.ticket(Entry.Op.REDEEMED, ticket, expires));
            }
        });
        ended.forEach((ticket, expires) -> {
            if (now.isBefore(expires)) {
                entries.add(Entry.ticket(Entry.Op.ENDED, ticket, expires));
            }
        });
        revoked.forEach((ticket, expires) -> {
            if (now.isBefore(expires)) {
                entries.add(Entry.ticket(Entry.Op.REVOKED, ticket, expires));
            }
        });
        leases.values().forEach(lease -> entries.add(Entry.of(Entry.Op.LEASE, lease)));
        intents.values().forEach(lease -> entries.add(Entry.of(Entry.Op.INTENT, lease)));
        released.values().forEach(lease -> entries.add(Entry.of(Entry.Op.RELEASE, lease)));
        return entries;
    }
}
