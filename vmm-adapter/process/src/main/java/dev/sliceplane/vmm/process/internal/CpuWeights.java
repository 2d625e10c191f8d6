package dev.sliceplane.vmm.process.internal;

/**
 * Maps a CPU weight (cgroup v2 {@code cpu.weight}: 100 is the default, range [1, 10000]) to a
 * nice value. The kernel gives each nice step about 1.25 times the CPU share of the next one
 * (nice 0 weighs 1024), and weight 100 means the default share, so
 * {@code nice = round(log(100 / weight) / log(1.25))}, clamped to [-20, 19]: weight 1000 is
 * nice -10, weight 10 is nice 10, weight 1 is nice 19, weight 10000 is nice -20.
 */
final class CpuWeights {

    private CpuWeights() {
    }

    static int niceFor(int weight) {
        long nice = Math.round(Math.log(100.0 / weight) / Math.log(1.25));
        return (int) Math.max(-20, Math.min(19, nice));
    }
}
