package dev.sliceplane.platform.internal.health;

import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;

/**
 * Turns one check's raw results into its reported state: the state changes only after
 * {@code required} results in a row with the same new status, so a check flapping between two
 * states keeps the one it had. The first result is reported at once (a starting node should not
 * wait N intervals to know anything), and so is the first UP: until a check has been UP it is
 * still starting, and there is nothing yet for a flap to disturb. A result with the reported
 * status refreshes the reported message and drops a pending change. Not thread-safe: its owner
 * serialises the results.
 */
final class ConsecutiveResults {

    /**
     * What to show for the check.
     *
     * @param reported the state shown, {@code null} before the first result
     * @param pending  the latest raw result when its status differs from the reported one, else {@code null}
     * @param inARow   how many results in a row have had the pending status (0 without one)
     */
    record Judgement(HealthResult reported, HealthResult pending, int inARow) {
    }

    private final int required;
    private HealthResult reported;
    private HealthResult pending;
    private int inARow;
    private boolean everUp;

    /** @param required results in a row needed to change state; values below 1 count as 1 */
    ConsecutiveResults(int required) {
        this.required = Math.max(1, required);
    }

    int required() {
        return required;
    }

    /** Takes one raw result and answers what is now reported. */
    Judgement offer(HealthResult result) {
        HealthStatus status = result.status();
        boolean firstUp = !everUp && status == HealthStatus.UP;
        everUp |= firstUp;
        if (reported == null || status == reported.status() || firstUp) {
            reported = result;
            pending = null;
            inARow = 0;
        } else {
            inARow = pending != null && pending.status() == status ? inARow + 1 : 1;
            pending = result;
            if (inARow >= required) {
                reported = result;
                pending = null;
                inARow = 0;
            }
        }
        return judgement();
    }

    Judgement judgement() {
        return new Judgement(reported, pending, inARow);
    }
}
