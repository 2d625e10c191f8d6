package dev.sliceplane.platform.api.acquisition;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A registered slice as the acquisition components need it.
 *
 * @param name       the slice's name, {@code <site>_<name>} (PlanetLab's {@code princeton_codeen})
 * @param expires    when the slice ends; nothing is granted beyond it
 * @param maxSlivers how many slivers the slice may hold in all
 * @param memberKeys each member's e-mail address and public keys (OpenSSH one-line format); a
 *                   member without keys has an empty list
 */
public record SliceRecord(String name, Instant expires, int maxSlivers, Map<String, List<String>> memberKeys) {

    public SliceRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expires, "expires");
        memberKeys = Map.copyOf(memberKeys);
    }

    /** The site that owns the slice: its name's prefix before the first {@code _}. */
    public String site() {
        int underscore = name.indexOf('_');
        return underscore < 0 ? name : name.substring(0, underscore);
    }

    public Set<String> members() {
        return memberKeys.keySet();
    }

    public boolean hasMember(String email) {
        return memberKeys.containsKey(email);
    }
}
