package dev.sliceplane.accounts.api;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A slice as a node sees it: the slice's fields and the public keys of each of its members, so
 * the node can let them into their slivers without asking the authority.
 *
 * @param name        the slice's name
 * @param description what the slice is for, or empty
 * @param url         the slice's home page, or empty
 * @param expires     when the slice ends
 * @param members     the members' e-mail addresses
 * @param maxSlivers  how many slivers the slice may hold
 * @param memberKeys  each member's public keys (an entry for every member; empty when a member has none)
 * @since 1.2
 */
public record NodeSlice(String name, String description, String url, Instant expires, Set<String> members,
        int maxSlivers, Map<String, List<PublicKey>> memberKeys) {

    public NodeSlice {
        Slice checked = new Slice(name, description, url, expires, members, maxSlivers);
        description = checked.description();
        url = checked.url();
        expires = checked.expires();
        members = checked.members();
        Checks.notNull("memberKeys", memberKeys);
        Map<String, List<PublicKey>> keys = new TreeMap<>();
        for (String member : members) {
            List<PublicKey> held = memberKeys.get(member);
            keys.put(member, held == null ? List.of() : List.copyOf(held));
        }
        memberKeys = Collections.unmodifiableMap(keys);
    }

    /** The slice with its members' keys, as the authority lists it for a node. */
    public static NodeSlice of(Slice slice, Map<String, List<PublicKey>> keysByOwner) {
        return new NodeSlice(slice.name(), slice.description(), slice.url(), slice.expires(), slice.members(),
                slice.maxSlivers(), keysByOwner);
    }

    /** The slice without its keys. */
    public Slice slice() {
        return new Slice(name, description, url, expires, members, maxSlivers);
    }
}
