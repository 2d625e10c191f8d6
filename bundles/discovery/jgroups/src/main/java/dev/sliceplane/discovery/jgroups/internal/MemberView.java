package dev.sliceplane.discovery.jgroups.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

/**
 * The nodes this node knows, by host name: the latest verified advert of each group member and the
 * member (group address) it came from. A member enters with its first verified advert, turns
 * SUSPECT while the engine suspects it, and leaves when the engine's view no longer holds it:
 * cleanly if the member said goodbye first, else declared dead (a view carries no reason, and
 * only the members whose own detector fired knew of a suspicion, so the goodbye is what tells).
 * Every change answers the {@link ViewEvent}s it makes. Guarded by {@code this}.
 */
final class MemberView {

    private record Entry(String member, NodeAdvert advert) {
    }

    private final Map<String, Entry> byHostname = new HashMap<>();
    /** Members the engine suspects now; kept apart so an advert arriving meanwhile stays SUSPECT. */
    private final Set<String> suspected = new HashSet<>();
    /** Members that said goodbye before leaving: gone cleanly; any other member that leaves is declared dead. */
    private final Set<String> farewells = new HashSet<>();
    /** The members of the engine's last view, to tell who left. */
    private Set<String> lastMembers = Set.of();
    /**
     * Members that left the engine's view: an advert from one arriving late is parked, not shown,
     * and shown only if the member comes back into the view (a healed partition brings back the
     * same member, whose advert may arrive before this node installs the merged view). An advert
     * from a member not in the view yet is taken, since a newcomer may hear from others before it
     * installs the view that holds them.
     */
    private final Set<String> departed = new HashSet<>();
    private final Map<String, NodeAdvert> parked = new HashMap<>();

    /** Takes a verified advert from {@code member}: JOINED for a new host, CHANGED when what it says changed. */
    synchronized Optional<ViewEvent> accept(String member, NodeAdvert advert) {
        if (departed.contains(member)) {
            parked.put(member, advert);
            return Optional.empty();
        }
        NodeAdvert placed = suspected.contains(member) ? advert.withLiveness(Liveness.SUSPECT) : advert;
        Entry previous = byHostname.put(advert.hostname(), new Entry(member, placed));
        if (previous == null) {
            return Optional.of(new ViewEvent.Joined(placed));
        }
        return sameContent(previous.advert(), placed) ? Optional.empty() : Optional.of(new ViewEvent.Changed(placed));
    }

    /** The engine installed a view of {@code members}: every host whose member is not among them left. */
    synchronized List<ViewEvent> retain(Collection<String> members) {
        Set<String> current = new HashSet<>(members);
        if (departed.size() > 10_000) {
            departed.clear(); // bounded; a member gone that long sends nothing more
            parked.clear();
        }
        lastMembers.stream().filter(m -> !current.contains(m)).forEach(departed::add);
        List<String> back = departed.stream().filter(current::contains).toList();
        departed.removeAll(back);
        lastMembers = current;
        List<ViewEvent> events = new ArrayList<>();
        byHostname.entrySet().removeIf(entry -> {
            String member = entry.getValue().member();
            if (current.contains(member)) {
                return false;
            }
            events.add(new ViewEvent.Left(entry.getKey(), !farewells.contains(member)));
            return true;
        });
        suspected.retainAll(current);
        farewells.retainAll(current);
        for (String member : back) {
            NodeAdvert advert = parked.remove(member);
            if (advert != null) {
                accept(member, advert).ifPresent(events::add);
            }
        }
        return events;
    }

    /** {@code member} said it is leaving: when the engine's view drops it, it left cleanly. */
    synchronized void farewell(String member) {
        farewells.add(member);
    }

    /** The engine suspects {@code members} (or, {@code suspect} false, cleared them). */
    synchronized List<ViewEvent> suspect(Collection<String> members, boolean suspect) {
        if (suspect) {
            suspected.addAll(members);
        } else {
            suspected.removeAll(members);
        }
        Liveness liveness = suspect ? Liveness.SUSPECT : Liveness.ALIVE;
        List<ViewEvent> events = new ArrayList<>();
        for (Map.Entry<String, Entry> entry : byHostname.entrySet()) {
            Entry known = entry.getValue();
            if (members.contains(known.member()) && known.advert().liveness() != liveness) {
                NodeAdvert changed = known.advert().withLiveness(liveness);
                entry.setValue(new Entry(known.member(), changed));
                events.add(new ViewEvent.Changed(changed));
            }
        }
        return events;
    }

    /** Every known node, ordered by host name. */
    synchronized List<NodeAdvert> nodes() {
        return byHostname.values().stream().map(Entry::advert)
                .sorted(Comparator.comparing(NodeAdvert::hostname)).toList();
    }

    /** How many nodes are known, without listing them. */
    synchronized int size() {
        return byHostname.size();
    }

    synchronized Optional<NodeAdvert> node(String hostname) {
        return Optional.ofNullable(byHostname.get(hostname)).map(Entry::advert);
    }

    /** Forgets everything (the channel closed): each known host leaves, cleanly. */
    synchronized List<ViewEvent> clear() {
        List<ViewEvent> events = byHostname.keySet().stream().sorted()
                .<ViewEvent>map(hostname -> new ViewEvent.Left(hostname, false)).toList();
        byHostname.clear();
        suspected.clear();
        farewells.clear();
        departed.clear();
        parked.clear();
        lastMembers = Set.of();
        return events;
    }

    /** Whether two adverts say the same, whenever they were sent and received. */
    private static boolean sameContent(NodeAdvert a, NodeAdvert b) {
        return Objects.equals(withoutTimes(a), withoutTimes(b));
    }

    private static NodeAdvert withoutTimes(NodeAdvert n) {
        return new NodeAdvert(n.hostname(), n.site(), n.url(), n.roles(), n.version(), n.location(), n.cores(),
                n.cpuBusy(), n.load1(), n.memTotal(), n.memAvailable(), n.diskTotal(), n.diskAvailable(), n.slivers(),
                n.health(), null, null, n.liveness());
    }
}
