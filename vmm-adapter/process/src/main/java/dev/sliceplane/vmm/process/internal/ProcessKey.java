package dev.sliceplane.vmm.process.internal;

/**
 * One process, told apart from a later process that reuses its pid by its start time.
 *
 * @param pid        process id
 * @param startTicks start time after boot, in clock ticks
 */
record ProcessKey(long pid, long startTicks) {

    /** Parses {@link #toString()}'s form, {@code pid@start}. */
    static ProcessKey parse(String text) {
        int at = text.indexOf('@');
        return new ProcessKey(Long.parseLong(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
    }

    @Override
    public String toString() {
        return pid + "@" + startTicks;
    }
}
