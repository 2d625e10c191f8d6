package dev.sliceplane.nodemanager.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * The node owner's local policy: which slices and sites may hold slivers here, how much one
 * slice may hold, what is kept back for management slices, and the lease clock. Immutable; the
 * component swaps in a new one when the configuration changes.
 *
 * @param allowedSites     sites whose slices may redeem here; empty: every site
 * @param allowedSlices    slices that may redeem here; empty: every slice
 * @param deniedSites      sites whose slices never may
 * @param deniedSlices     slices that never may
 * @param perSlice         the most one slice may hold here, per dimension; 0 in a dimension: no cap
 * @param reservedShare    the share of the node kept for management slices, in [0, 1)
 * @param oversubscription how far grants may exceed what is left (1.0: not at all)
 * @param maxLeaseTerm     the longest a lease runs from its start or last renewal
 * @param warnBefore       a lease this close to its end is {@code expiring}
 * @param reclaimInterval  how often expired leases are looked for
 */
public record Policy(Set<String> allowedSites, Set<String> allowedSlices, Set<String> deniedSites,
                     Set<String> deniedSlices, Resources perSlice, double reservedShare, double oversubscription,
                     Duration maxLeaseTerm, Duration warnBefore, Duration reclaimInterval) {

    /** The contract's defaults (docs/design/slice-acquisition.md). */
    public static final Policy DEFAULTS = new Policy(Set.of(), Set.of(), Set.of(), Set.of(), Resources.NONE, 0.1, 1.0,
            Duration.ofDays(1), Duration.ofMinutes(10), Duration.ofSeconds(10));

    public Policy {
        allowedSites = Set.copyOf(allowedSites);
        allowedSlices = Set.copyOf(allowedSlices);
        deniedSites = Set.copyOf(deniedSites);
        deniedSlices = Set.copyOf(deniedSlices);
        if (!(reservedShare >= 0 && reservedShare < 1)) {
            throw new IllegalArgumentException("reservedShare must be in [0, 1), was " + reservedShare);
        }
        if (!(oversubscription >= 1) || Double.isInfinite(oversubscription)) {
            throw new IllegalArgumentException("oversubscription must be a finite factor ≥ 1, was " + oversubscription);
        }
        requirePositive("maxLeaseTerm", maxLeaseTerm);
        requirePositive("warnBefore", warnBefore);
        requirePositive("reclaimInterval", reclaimInterval);
    }

    /**
     * The policy a configuration describes. A value that cannot be read keeps its default, and
     * {@code complaints} hears which and why, so a typo in the file never stops the node manager.
     */
    public static Policy of(PolicyConfig config, Consumer<String> complaints) {
        Policy d = DEFAULTS;
        Resources caps = new Resources(atLeastZero(config.perSliceCpu(), "perSliceCpu", complaints),
                Math.max(0, config.perSliceMemory()), Math.max(0, config.perSliceProcesses()),
                Math.max(0, config.perSliceDisk()));
        double reserved = config.reservedShare();
        if (!(reserved >= 0 && reserved < 1)) {
            complaints.accept("reservedShare must be in [0, 1), was " + reserved + "; using " + d.reservedShare());
            reserved = d.reservedShare();
        }
        double over = config.oversubscription();
        if (!(over >= 1) || Double.isInfinite(over)) {
            complaints.accept("oversubscription must be ≥ 1, was " + over + "; using " + d.oversubscription());
            over = d.oversubscription();
        }
        return new Policy(names(config.allowedSites()), names(config.allowedSlices()), names(config.deniedSites()),
                names(config.deniedSlices()), caps, reserved, over,
                duration("maxLeaseTerm", config.maxLeaseTerm(), d.maxLeaseTerm(), complaints),
                duration("warnBefore", config.warnBefore(), d.warnBefore(), complaints),
                duration("reclaimInterval", config.reclaimInterval(), d.reclaimInterval(), complaints));
    }

    /**
     * Whether slice {@code slice} of site {@code site} may hold a sliver here: empty when it may,
     * else the rule that refuses it. Deny lists win over allow lists.
     */
    public Optional<Reason> refusal(String slice, String site, String node) {
        if (deniedSlices.contains(slice)) {
            return Optional.of(new Reason("policy", node, "policy.deniedSlices",
                    "slice " + slice + " is on this node's deny list"));
        }
        if (deniedSites.contains(site)) {
            return Optional.of(new Reason("policy", node, "policy.deniedSites",
                    "site " + site + " is on this node's deny list"));
        }
        if (!allowedSlices.isEmpty() && !allowedSlices.contains(slice)) {
            return Optional.of(new Reason("policy", node, "policy.allowedSlices",
                    "slice " + slice + " is not among the slices this node admits"));
        }
        if (!allowedSites.isEmpty() && !allowedSites.contains(site)) {
            return Optional.of(new Reason("policy", node, "policy.allowedSites",
                    "site " + site + " is not among the sites this node admits"));
        }
        return Optional.empty();
    }

    /** The per-slice caps {@code wanted} goes beyond, one reason each; empty when within them. */
    public List<Reason> capsExceeded(Resources wanted, String node) {
        List<Reason> over = new java.util.ArrayList<>();
        if (perSlice.cpu() > 0 && wanted.cpu() > perSlice.cpu() + 1e-9) {
            over.add(new Reason("capacity", node, "policy.perSliceCpu",
                    "asks " + wanted.cpu() + " cores; a slice may hold " + perSlice.cpu() + " here"));
        }
        if (perSlice.memory() > 0 && wanted.memory() > perSlice.memory()) {
            over.add(new Reason("capacity", node, "policy.perSliceMemory",
                    "asks " + wanted.memory() + " bytes of memory; a slice may hold " + perSlice.memory() + " here"));
        }
        if (perSlice.processes() > 0 && wanted.processes() > perSlice.processes()) {
            over.add(new Reason("capacity", node, "policy.perSliceProcesses",
                    "asks " + wanted.processes() + " processes; a slice may hold " + perSlice.processes() + " here"));
        }
        if (perSlice.disk() > 0 && wanted.disk() > perSlice.disk()) {
            over.add(new Reason("capacity", node, "policy.perSliceDisk",
                    "asks " + wanted.disk() + " bytes of disk; a slice may hold " + perSlice.disk() + " here"));
        }
        return over;
    }

    /** This policy with other per-slice caps. */
    public Policy withPerSlice(Resources caps) {
        return new Policy(allowedSites, allowedSlices, deniedSites, deniedSlices, caps, reservedShare, oversubscription,
                maxLeaseTerm, warnBefore, reclaimInterval);
    }

    /**
     * Names from a configuration's string array; each element may itself be a comma-separated
     * list, as a {@code .cfg} file delivers {@code a, b} as one string.
     */
    static Set<String> names(String[] values) {
        Set<String> names = new LinkedHashSet<>();
        if (values != null) {
            Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                    .filter(v -> !v.isEmpty()).forEach(names::add);
        }
        return names;
    }

    private static double atLeastZero(double value, String key, Consumer<String> complaints) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            complaints.accept(key + " must be a number ≥ 0, was " + value + "; using no cap");
            return 0;
        }
        return value;
    }

    private static Duration duration(String key, String text, Duration fallback, Consumer<String> complaints) {
        try {
            Duration value = Duration.parse(text.strip());
            if (value.isNegative() || value.isZero()) {
                complaints.accept(key + " must be positive, was " + text + "; using " + fallback);
                return fallback;
            }
            return value;
        } catch (DateTimeParseException | NullPointerException e) {
            complaints.accept(key + " is not an ISO-8601 duration such as PT10M: '" + text + "'; using " + fallback);
            return fallback;
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }
}
