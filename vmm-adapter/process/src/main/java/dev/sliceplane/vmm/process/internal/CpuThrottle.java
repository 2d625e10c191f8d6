package dev.sliceplane.vmm.process.internal;

/**
 * The duty cycle that holds a sliver to its CPU quota without cgroups: a token bucket
 * filled at {@code cores} CPU-seconds per second and drained by the CPU the sliver used.
 * While the bucket is in debt the sliver is kept stopped (SIGSTOP), and it continues
 * (SIGCONT) once the debt is paid, so over time it uses its quota and no more.
 *
 * <p>What is saved from earlier periods is capped at one period's allowance, so an idle sliver
 * cannot save up for a burst; the allowance of the period just measured is never cut, so a
 * busy sliver gets its whole quota. Each overshoot is bounded by one period of running (on as
 * many cores as it has runnable threads) and is paid back by staying stopped longer.
 *
 * <p>Not thread-safe: used under its sliver's lock.
 */
final class CpuThrottle {

    private final double periodSeconds;
    private double cores;
    private double budgetSeconds;

    CpuThrottle(double cores, double periodSeconds) {
        this.periodSeconds = periodSeconds;
        this.cores = cores;
        this.budgetSeconds = cores * periodSeconds;
    }

    /**
     * Accounts one period and says whether the sliver may run during the next one.
     *
     * @param usedSeconds    CPU seconds the sliver used since the previous call
     * @param elapsedSeconds wall-clock seconds since the previous call
     */
    boolean mayRun(double usedSeconds, double elapsedSeconds) {
        budgetSeconds = Math.min(budgetSeconds, cores * periodSeconds) + cores * elapsedSeconds - usedSeconds;
        return budgetSeconds >= 0;
    }

    void setCores(double cores) {
        this.cores = cores;
    }

    double cores() {
        return cores;
    }
}
