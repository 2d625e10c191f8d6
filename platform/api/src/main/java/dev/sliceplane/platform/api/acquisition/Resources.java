package dev.sliceplane.platform.api.acquisition;

/**
 * An amount of a node's resources: what a ticket promises, a lease grants or a node has free.
 * JSON: {@code {"cpu":0.5,"memory":268435456,"processes":64,"disk":1073741824}}.
 *
 * @param cpu       CPU in cores (a quota: 0.5 is half of one core)
 * @param memory    memory in bytes
 * @param processes how many processes (tasks) at once
 * @param disk      disk in bytes
 */
public record Resources(double cpu, long memory, int processes, long disk) {

    public static final Resources NONE = new Resources(0, 0, 0, 0);

    public Resources {
        if (!(cpu >= 0) || Double.isInfinite(cpu)) {
            throw new IllegalArgumentException("cpu must be a finite number of cores ≥ 0, was " + cpu);
        }
        if (memory < 0 || processes < 0 || disk < 0) {
            throw new IllegalArgumentException("memory, processes and disk must not be negative");
        }
    }

    public Resources plus(Resources other) {
        return new Resources(cpu + other.cpu, memory + other.memory, processes + other.processes,
                disk + other.disk);
    }

    /** What is left of this after {@code other}, never below zero in any dimension. */
    public Resources minus(Resources other) {
        return new Resources(Math.max(0, cpu - other.cpu), Math.max(0, memory - other.memory),
                Math.max(0, processes - other.processes), Math.max(0, disk - other.disk));
    }

    /** Each dimension multiplied by {@code factor} (an oversubscription ratio, a reserved share). */
    public Resources times(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be finite and ≥ 0, was " + factor);
        }
        return new Resources(cpu * factor, (long) (memory * factor), (int) Math.min(Integer.MAX_VALUE,
                (long) processes * factor), (long) (disk * factor));
    }

    /** Whether every dimension of this is at most that of {@code available}. */
    public boolean fitsIn(Resources available) {
        return cpu <= available.cpu + 1e-9 && memory <= available.memory && processes <= available.processes
                && disk <= available.disk;
    }
}
