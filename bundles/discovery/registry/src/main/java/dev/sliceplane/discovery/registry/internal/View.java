package dev.sliceplane.discovery.registry.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.sliceplane.discovery.api.DiscoveryListener;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

/**
 * The registry implementation's view and its liveness rule: a node that answered its probe is
 * ALIVE; one that missed is SUSPECT (keeping its last advertisement) until it has missed {@code
 * deadAfterMisses} probes in a row, then it leaves the view, as does a node the registry no longer
 * lists. A node never seen answering does not enter. Each round's changes come back as events for
 * the listeners. Thread-safe: rounds apply under the lock, readers see an immutable snapshot.
 */
final class View {

    /** A change for {@code DiscoveryListener}s. */
    sealed interface Event permits Joined, Changed, Left {
        /** Calls the listener's method for this change. */
        void tell(DiscoveryListener listener);
    }

    record Joined(NodeAdvert node) implements Event {
        @Override
        public void tell(DiscoveryListener listener) {
            listener.joined(node);
        }
    }

    record Changed(NodeAdvert node) implements Event {
        @Override
        public void tell(DiscoveryListener listener) {
            listener.changed(node);
        }
    }

    record Left(String hostname, boolean declaredDead) implements Event {
        @Override
        public void tell(DiscoveryListener listener) {
            listener.left(hostname, declaredDead);
        }
    }

    private record Entry(NodeAdvert advert, int misses) {
    }

    private final int deadAfterMisses;
    /** Guarded by {@code this} for writes; replaced whole, so readers need no lock. */
    private volatile Map<String, Entry> entries = Map.of();

    View(int deadAfterMisses) {
        if (deadAfterMisses < 1) {
            throw new IllegalArgumentException("deadAfterMisses must be at least 1");
        }
        this.deadAfterMisses = deadAfterMisses;
    }

    /** Applies one round: the registry's members and each one's probe (by host name; absent: not probed). */
    synchronized List<Event> apply(List<Member> members, Map<String, Prober.Probe> probes) {
        Map<String, Entry> before = entries;
        Map<String, Entry> after = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (Member member : members) {
            listed.add(member.hostname());
            Entry old = before.get(member.hostname());
            Prober.Probe probe = probes.get(member.hostname());
            if (probe != null && probe.answered()) {
                after.put(member.hostname(), new Entry(probe.advert(), 0));
                events.add(old == null ? new Joined(probe.advert()) : new Changed(probe.advert()));
            } else if (old != null) {
                int misses = old.misses() + 1;
                if (misses >= deadAfterMisses) {
                    events.add(new Left(member.hostname(), true));
                } else {
                    NodeAdvert suspect = old.advert().withLiveness(Liveness.SUSPECT);
                    after.put(member.hostname(), new Entry(suspect, misses));
                    if (old.advert().liveness() != Liveness.SUSPECT) {
                        events.add(new Changed(suspect));
                    }
                }
            }
        }
        for (String hostname : before.keySet()) {
            if (!listed.contains(hostname)) {
                events.add(new Left(hostname, false)); // the registry no longer boots it
            }
        }
        entries = Map.copyOf(after);
        return events;
    }

    List<NodeAdvert> nodes() {
        return entries.values().stream().map(Entry::advert).sorted(Comparator.comparing(NodeAdvert::hostname))
                .toList();
    }

    Optional<NodeAdvert> node(String hostname) {
        Entry entry = entries.get(Objects.requireNonNull(hostname));
        return entry == null ? Optional.empty() : Optional.of(entry.advert());
    }
}
