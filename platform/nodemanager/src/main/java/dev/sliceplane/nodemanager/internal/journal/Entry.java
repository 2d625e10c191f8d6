package dev.sliceplane.nodemanager.internal.journal;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sliceplane.nodemanager.internal.Lease;

/**
 * One line of the journal. Which members are set depends on {@code op}:
 * <ul>
 * <li>{@code INTENT} {@code lease} (unsigned): a sliver is about to be made for it</li>
 * <li>{@code ABORT} {@code lease}: that intent came to nothing (its sliver, if made, is gone)</li>
 * <li>{@code LEASE} {@code lease}: the sliver exists and the lease is granted</li>
 * <li>{@code UPDATE} {@code lease}: renewed or resized</li>
 * <li>{@code RELEASE} {@code lease}: released or reclaimed; its sliver is to be destroyed</li>
 * <li>{@code REDEEMED} {@code ticket}, {@code expires}: a ticket used up (only compaction writes it)</li>
 * <li>{@code ENDED} {@code ticket}, {@code expires}: a redeemed ticket whose lease has ended, still
 * reported to the agent until it expires (only compaction writes it: a {@code RELEASE} implies it)</li>
 * <li>{@code REVOKED} {@code ticket}, {@code expires}: a ticket the agent revoked</li>
 * <li>{@code BACKEND} {@code backend}: the VMM backend the slivers live in (compaction writes it first)</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Entry(Op op, Lease lease, String ticket, Instant expires, String backend) {

    /** What an entry records. */
    public enum Op {
        INTENT, ABORT, LEASE, UPDATE, RELEASE, REDEEMED, ENDED, REVOKED, BACKEND
    }

    public static Entry of(Op op, Lease lease) {
        return new Entry(op, lease, null, null, null);
    }

    public static Entry ticket(Op op, String ticket, Instant expires) {
        return new Entry(op, null, ticket, expires, null);
    }

    public static Entry backend(String name) {
        return new Entry(Op.BACKEND, null, null, null, name);
    }
}
