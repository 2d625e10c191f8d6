package dev.sliceplane.vmm.simulated.internal;

/**
 * SplitMix64 as plain functions on a {@code long}: the state of a stream is one field, so a
 * sliver's randomness costs eight bytes, is saved in its record and resumes exactly after a
 * restart. Named streams are derived by hashing, so one sliver's stream does not depend on
 * which other slivers exist or the order they were made in.
 */
public final class Rng {

    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rng() {
    }

    /** The SplitMix64 finaliser (Stafford's variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the string's UTF-16 units: the same on every JVM and in every run. */
    static long hash(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        return h;
    }

    /** A seed for the thing called {@code name} under {@code seed}. */
    public static long derive(long seed, String name) {
        return mix64(seed ^ mix64(hash(name) + GOLDEN));
    }

    /** The upper 53 bits as a double in [0, 1). */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** The {@code k}-th number in [0, 1) of the index-addressed stream {@code seed}. */
    static double at(long seed, int k) {
        return unit(mix64(seed + (k + 1L) * GOLDEN));
    }

    /** Maps {@code u} in [0, 1) to [lo, hi) with a uniform logarithm. */
    static double logUniform(double u, double lo, double hi) {
        return lo * StrictMath.pow(hi / lo, u);
    }
}
