package dev.sliceplane.client;

import java.time.Duration;
import java.util.Objects;

import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * What {@link ServiceManager#deploy} asks for: {@code count} slivers of {@code resources} for a
 * slice, optionally on nodes matching a query, each running a program. Made with {@link #of} and
 * the {@code with...} methods.
 *
 * @param slice        the slice, e.g. {@code princeton_codeen}
 * @param count        how many nodes (one sliver each); at least 1
 * @param resources    what each sliver gets
 * @param where        a discovery query for the broker, e.g. {@code site!=mit and mem_free>=1GiB};
 *                     null for any node
 * @param duration     how long the tickets (and so the leases) should last; null for the broker's
 *                     default
 * @param partial      the broker may answer with fewer than {@code count} tickets instead of
 *                     refusing
 * @param allOrNothing when any node fails (refused, unreachable, or its program did not start),
 *                     release the leases the others granted; otherwise they are kept
 * @param program      the program to start in each sliver; null to only take the leases
 */
public record DeployRequest(String slice, int count, Resources resources, String where, Duration duration,
        boolean partial, boolean allOrNothing, ProgramSpec program) {

    public DeployRequest {
        Objects.requireNonNull(slice, "slice");
        Objects.requireNonNull(resources, "resources");
        if (slice.isBlank()) {
            throw new IllegalArgumentException("a slice name is needed");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        if (where != null && where.isBlank()) {
            where = null;
        }
    }

    /** {@code count} slivers of {@code resources}: any nodes, the broker's duration, leases kept on partial failure, no program. */
    public static DeployRequest of(String slice, int count, Resources resources) {
        return new DeployRequest(slice, count, resources, null, null, false, false, null);
    }

    public DeployRequest where(String query) {
        return new DeployRequest(slice, count, resources, query, duration, partial, allOrNothing, program);
    }

    public DeployRequest lasting(Duration leaseDuration) {
        return new DeployRequest(slice, count, resources, where, leaseDuration, partial, allOrNothing, program);
    }

    public DeployRequest acceptingFewer(boolean fewer) {
        return new DeployRequest(slice, count, resources, where, duration, fewer, allOrNothing, program);
    }

    public DeployRequest allOrNothing(boolean all) {
        return new DeployRequest(slice, count, resources, where, duration, partial, all, program);
    }

    public DeployRequest running(ProgramSpec spec) {
        return new DeployRequest(slice, count, resources, where, duration, partial, allOrNothing, spec);
    }
}
