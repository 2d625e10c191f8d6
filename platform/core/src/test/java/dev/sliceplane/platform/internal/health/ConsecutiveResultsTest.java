package dev.sliceplane.platform.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;

class ConsecutiveResultsTest {

    @Test
    void flappingNeverChangesTheState() {
        ConsecutiveResults results = new ConsecutiveResults(3);
        for (int i = 0; i < 20; i++) {
            HealthResult result = i % 2 == 0 ? HealthResult.up("up " + i) : HealthResult.down("down " + i);
            assertEquals(HealthStatus.UP, results.offer(result).reported().status(), "after result " + i);
        }
    }

    @Test
    void alternatingBetweenTwoBadStatesDoesNotAddUp() {
        ConsecutiveResults results = new ConsecutiveResults(3);
        results.offer(HealthResult.up("ok"));
        results.offer(HealthResult.warn("a"));
        results.offer(HealthResult.down("b"));
        results.offer(HealthResult.warn("c"));
        ConsecutiveResults.Judgement judged = results.offer(HealthResult.down("d"));
        assertEquals(HealthStatus.UP, judged.reported().status());
        assertEquals(1, judged.inARow(), "a different status starts the count again");
    }

    @Test
    void theNthEqualResultChangesTheStateAndTheFirstIsTakenAtOnce() {
        ConsecutiveResults results = new ConsecutiveResults(3);
        assertEquals(HealthStatus.DOWN, results.offer(HealthResult.down("starting")).reported().status());
        assertEquals(HealthResult.up("ready"), results.offer(HealthResult.up("ready")).reported(),
                "the first UP is taken at once: the check was still starting");
        assertEquals(HealthStatus.UP, results.offer(HealthResult.down("1")).reported().status());
        assertEquals(2, results.offer(HealthResult.down("2")).inARow());
        ConsecutiveResults.Judgement third = results.offer(HealthResult.down("3"));
        assertEquals(HealthResult.down("3"), third.reported());
        assertNull(third.pending());
        assertEquals(0, third.inARow());
        assertEquals(1, results.offer(HealthResult.up("again")).inARow(), "an UP after the first needs its N in a row");
        assertEquals(HealthStatus.DOWN, results.judgement().reported().status());
    }

    @Test
    void aCheckStartingInAnotherStateIsTakenAtOnceOnlyForItsFirstUp() {
        ConsecutiveResults results = new ConsecutiveResults(3);
        assertEquals(HealthStatus.WARN, results.offer(HealthResult.warn("starting")).reported().status());
        assertEquals(HealthStatus.WARN, results.offer(HealthResult.down("a")).reported().status(),
                "a DOWN before the first UP still needs its N in a row");
        assertEquals(HealthStatus.UP, results.offer(HealthResult.up("b")).reported().status());
    }

    @Test
    void aResultLikeTheReportedOneRefreshesItsMessageAndDropsThePendingChange() {
        ConsecutiveResults results = new ConsecutiveResults(2);
        results.offer(HealthResult.warn("disk 91 %"));
        results.offer(HealthResult.down("disk 98 %"));
        ConsecutiveResults.Judgement judged = results.offer(HealthResult.warn("disk 92 %"));
        assertEquals(HealthResult.warn("disk 92 %"), judged.reported());
        assertNull(judged.pending());
        assertEquals(HealthStatus.WARN, results.offer(HealthResult.down("disk 98 %")).reported().status());
    }

    @Test
    void oneMeansEveryResultCounts() {
        ConsecutiveResults results = new ConsecutiveResults(0);
        results.offer(HealthResult.up("a"));
        assertEquals(HealthStatus.DOWN, results.offer(HealthResult.down("b")).reported().status());
        assertEquals(1, results.required());
    }
}
