package dev.sliceplane.platform.api.health;

/** The states of a check and of the node, from best to worst. */
public enum HealthStatus {
    /** Reported only in aggregates: some check has not completed its first run yet. */
    STARTING,
    /** Working as intended. */
    UP,
    /** Working, but an operator should look. The node still reports itself healthy. */
    WARN,
    /** Not working. The node reports itself unhealthy. */
    DOWN;

    /** The worse of two states; {@code DOWN} is worst, then {@code STARTING}, {@code WARN}, {@code UP}. */
    public HealthStatus worse(HealthStatus other) {
        return severity() >= other.severity() ? this : other;
    }

    private int severity() {
        switch (this) {
            case UP: return 0;
            case WARN: return 1;
            case STARTING: return 2;
            default: return 3;
        }
    }
}
