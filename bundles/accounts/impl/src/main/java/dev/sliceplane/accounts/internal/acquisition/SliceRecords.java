package dev.sliceplane.accounts.internal.acquisition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sliceplane.accounts.api.NodeSlice;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/** Registry slices as the acquisition components see them: members' keys as OpenSSH lines, as stored. */
public final class SliceRecords {

    private SliceRecords() {
    }

    /** {@code slice} with its members' keys (a member without keys gets an empty list). */
    public static SliceRecord of(NodeSlice slice) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String member : slice.members()) {
            keys.put(member, slice.memberKeys().getOrDefault(member, List.of()).stream()
                    .map(PublicKey::openSshLine).toList());
        }
        return new SliceRecord(slice.name(), slice.expires(), slice.maxSlivers(), keys);
    }
}
