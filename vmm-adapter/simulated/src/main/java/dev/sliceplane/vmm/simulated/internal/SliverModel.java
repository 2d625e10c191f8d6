package dev.sliceplane.vmm.simulated.internal;

import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.vmm.api.Limits;

/**
 * One simulated sliver: its load-curve parameters (fixed, derived from its curve seed), its
 * counters and levels, and its programs. Primitive fields only, so ten thousand of them cost a
 * few megabytes; the dynamics live in {@link SimulatedNode}, which alone touches these fields.
 */
final class SliverModel {

    static final long MIB = 1L << 20;
    static final long KIB = 1L << 10;

    final String name;
    /** Seeds the curve parameters and the random stream; kept in the record, so it survives a change of seed. */
    final long curveSeed;
    final long createdMillis;

    // The load curve: demand(t) = (base + amplitude * sin(2 pi t / day + phase)) * (1 + noise) + burst.
    final double baseCores;
    final double diurnalAmplitude;
    final double diurnalPhase;
    final double burstsPerSecond;
    final double burstCores;
    final double burstMeanSeconds;
    /** Share of its CPU time spent in the kernel. */
    final double systemFraction;
    /** Memory one program settles around. */
    final double memoryPerProgram;
    final int maxProcessesPerProgram;
    final double diskBytesPerCpuSecond;
    final double rxBytesPerCpuSecond;
    final double txBytesPerCpuSecond;

    Limits limits;
    double quotaCores;
    int weight;
    long memoryLimit;
    int processLimit;
    long diskQuota;

    /** SplitMix64 state of the sliver's own random stream. */
    long rng;
    /** Model time up to which the counters are accrued. */
    long accruedMillis;
    /** Model time of the last evolution of its levels (a pass, or the launch that woke it). */
    long evolvedMillis;
    double cpuSeconds;
    long memoryBytes;
    long memoryPeakBytes;
    long diskBytes;
    long rxBytes;
    long txBytes;
    long oomKills;
    int processes;
    boolean inBurst;
    boolean overProcessLimit;
    /** CPU it wants now, capped by its quota and the node's cores; held until the next pass. */
    double demandCores;
    /** CPU it gets now (its demand, or its fair share when the node is contended); held until the next pass. */
    double allocCores;

    /** Oldest first; {@code null} until the first launch. */
    ArrayList<ProgramModel> programs;
    int running;
    int runningProcesses;
    int nextProgramId = 1;
    /** Queued for a record write by the current operation. */
    boolean writeQueued;

    SliverModel(String name, long curveSeed, long createdMillis, Limits limits, int nodeCores) {
        this.name = name;
        this.curveSeed = curveSeed;
        this.createdMillis = createdMillis;
        long s = curveSeed;
        this.baseCores = Rng.logUniform(Rng.at(s, 0), 0.02, 1.0);
        this.diurnalAmplitude = baseCores * 0.6 * Rng.at(s, 1);
        this.diurnalPhase = 2 * Math.PI * Rng.at(s, 2);
        this.burstsPerSecond = 2.0 * Rng.at(s, 3) / 3600;
        this.burstCores = baseCores * (1 + 3 * Rng.at(s, 4));
        this.burstMeanSeconds = 30 + 270 * Rng.at(s, 5);
        this.systemFraction = 0.05 + 0.25 * Rng.at(s, 6);
        this.memoryPerProgram = Rng.logUniform(Rng.at(s, 7), 32 * MIB, 1024 * MIB);
        this.maxProcessesPerProgram = 1 + (int) (8 * Rng.at(s, 8));
        this.diskBytesPerCpuSecond = Rng.logUniform(Rng.at(s, 9), 4 * KIB, 4 * MIB);
        this.rxBytesPerCpuSecond = Rng.logUniform(Rng.at(s, 10), 16 * KIB, 16 * MIB);
        this.txBytesPerCpuSecond = rxBytesPerCpuSecond * Rng.logUniform(Rng.at(s, 11), 0.2, 5);
        this.rng = Rng.mix64(curveSeed ^ 0x5EED_5EED_5EED_5EEDL);
        this.accruedMillis = createdMillis;
        this.evolvedMillis = createdMillis;
        setLimits(limits, nodeCores);
    }

    void setLimits(Limits newLimits, int nodeCores) {
        this.limits = newLimits;
        this.quotaCores = Math.min(nodeCores, newLimits.cpuCores() == null ? Double.MAX_VALUE : newLimits.cpuCores());
        this.weight = newLimits.cpuWeight() == null ? 100 : newLimits.cpuWeight();
        this.memoryLimit = newLimits.memoryBytes() == null ? Long.MAX_VALUE : newLimits.memoryBytes();
        this.processLimit = newLimits.maxProcesses() == null ? Integer.MAX_VALUE : newLimits.maxProcesses();
        this.diskQuota = newLimits.diskBytes() == null ? Long.MAX_VALUE : newLimits.diskBytes();
    }

    /** The next number in [0, 1) of this sliver's stream. */
    double next() {
        rng += Rng.GOLDEN;
        return Rng.unit(Rng.mix64(rng));
    }

    /** An approximately standard normal number (a scaled sum of four uniforms; tails end at ±3.5). */
    double gauss() {
        return (next() + next() + next() + next() - 2) * 1.7320508075688772;
    }

    /** The load curve without noise or bursts, for one program, at model time {@code millis} (UTC days). */
    double curve(long millis) {
        double dayFraction = Math.floorMod(millis, 86_400_000L) / 86_400_000.0;
        return baseCores + diurnalAmplitude * StrictMath.sin(2 * Math.PI * dayFraction + diurnalPhase);
    }

    List<ProgramModel> programs() {
        return programs == null ? List.of() : programs;
    }

    ProgramModel program(String id) {
        for (ProgramModel p : programs()) {
            if (p.name().equals(id)) {
                return p;
            }
        }
        return null;
    }

    /** The most recently launched program still running, or {@code null}. */
    ProgramModel newestRunning() {
        List<ProgramModel> list = programs();
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).running()) {
                return list.get(i);
            }
        }
        return null;
    }
}
