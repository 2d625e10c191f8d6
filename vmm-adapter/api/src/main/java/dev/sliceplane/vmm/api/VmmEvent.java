package dev.sliceplane.vmm.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a sliver. Delivered to {@link VmmStatusListener}s and posted to
 * Event Admin on {@code TOPIC_PREFIX + kind} (for example {@code dev/sliceplane/vmm/PROGRAM_EXITED})
 * with the properties named by the {@code PROPERTY_} constants.
 *
 * @param kind      what happened
 * @param sliver    the sliver concerned
 * @param at        when it was observed
 * @param limit     for {@link Kind#LIMIT_EXCEEDED}: which limit; otherwise {@code null}
 * @param programId for {@link Kind#PROGRAM_EXITED}: which program; otherwise {@code null}
 * @param exitCode  for {@link Kind#PROGRAM_EXITED}: its exit code ({@code 128 + n} for signal n)
 * @param message   a sentence for an operator
 */
public record VmmEvent(Kind kind, String sliver, Instant at, Limit limit, String programId, Integer exitCode,
                       String message) {

    /** Event Admin topic prefix; the kind's name follows. */
    public static final String TOPIC_PREFIX = "dev/sliceplane/vmm/";
    public static final String PROPERTY_SLIVER = "sliver";
    public static final String PROPERTY_LIMIT = "limit";
    public static final String PROPERTY_PROGRAM = "program";
    public static final String PROPERTY_EXIT_CODE = "exitCode";
    public static final String PROPERTY_MESSAGE = "message";
    public static final String PROPERTY_BACKEND = "backend";

    /** Kinds of event. */
    public enum Kind {
        /** A sliver was created. */
        CREATED,
        /** A sliver was destroyed: its processes are gone and nothing of it is left. */
        DESTROYED,
        /**
         * A limit stopped the sliver: an OOM kill (limit {@link Limit#MEMORY}), or a fork refused
         * at the process limit ({@link Limit#PROCESSES}); one event per sample that saw any, with
         * the count in its message. Observed from the kernel's counters, which a backend may read
         * less often than every sample, so {@code at} is when the backend saw it, up to a bounded
         * number of samples after it happened. The {@code linux} backend reports an OOM kill at the
         * sliver's own limit, or one that ended a program or lowered the process count, in the
         * next sample; a fork refused while the sliver is at its process limit (or one below) in
         * the next sample; anything else (a fork refused at an ancestor's limit, or a count that
         * touched the limit and fell back between samples) within {@code eventReadPasses} samples
         * (default 10), and whatever is pending when the sliver is destroyed before
         * {@link #DESTROYED}.
         */
        LIMIT_EXCEEDED,
        /** A program launched in the sliver exited. */
        PROGRAM_EXITED,
        /** At start, the backend found a sliver it owns without a record of it, or a record without it. */
        ORPHAN_FOUND
    }

    public VmmEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sliver, "sliver");
        Objects.requireNonNull(at, "at");
        message = message == null ? "" : message;
    }

    public static VmmEvent created(String sliver, Instant at) {
        return new VmmEvent(Kind.CREATED, sliver, at, null, null, null, "sliver created");
    }

    public static VmmEvent destroyed(String sliver, Instant at) {
        return new VmmEvent(Kind.DESTROYED, sliver, at, null, null, null, "sliver destroyed");
    }

    public static VmmEvent limitExceeded(String sliver, Instant at, Limit limit, String message) {
        return new VmmEvent(Kind.LIMIT_EXCEEDED, sliver, at, Objects.requireNonNull(limit, "limit"), null, null,
                message);
    }

    public static VmmEvent programExited(String sliver, Instant at, String programId, int exitCode) {
        return new VmmEvent(Kind.PROGRAM_EXITED, sliver, at, null, programId, exitCode,
                "program " + programId + " exited with code " + exitCode);
    }

    public static VmmEvent orphanFound(String sliver, Instant at, String message) {
        return new VmmEvent(Kind.ORPHAN_FOUND, sliver, at, null, null, null, message);
    }

    public String topic() {
        return TOPIC_PREFIX + kind.name();
    }
}
