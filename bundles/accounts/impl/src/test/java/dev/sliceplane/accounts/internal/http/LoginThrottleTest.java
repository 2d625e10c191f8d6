package dev.sliceplane.accounts.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private Instant now = Instant.parse("2026-11-26T12:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottle.Settings(3, Duration.ofSeconds(10), 20, Duration.ofMinutes(1), 2), () -> now);

    @Test
    void anAccountWaitsTwiceAsLongAfterEachFailureBeyondTheFreeOnesUpToTheCap() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), throttle.wait("a", "user@x.org"), "free failure " + i);
            throttle.failed("a", "user@x.org");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("a", "user@x.org"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("another address", "User@X.org "),
                "the same account from anywhere, however spelled");
        now = now.plusSeconds(1);
        assertEquals(Optional.empty(), throttle.wait("a", "user@x.org"));
        throttle.failed("a", "user@x.org");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.wait("a", "user@x.org"));
        now = now.plusSeconds(2);
        throttle.failed("a", "user@x.org");
        assertEquals(Optional.of(Duration.ofSeconds(4)), throttle.wait("a", "user@x.org"));
        for (int i = 0; i < 5; i++) {
            throttle.failed("a", "user@x.org");
        }
        assertEquals(Optional.of(Duration.ofSeconds(10)), throttle.wait("a", "user@x.org"), "capped");
        assertEquals(Optional.empty(), throttle.wait("a", "other@x.org"), "other accounts are not held");
    }

    @Test
    void aSuccessForgivesTheAccountButNotTheAddress() {
        for (int i = 0; i < 19; i++) {
            throttle.failed("a", "guess" + i + "@x.org");
        }
        throttle.failed("a", "user@x.org");
        throttle.succeeded("user@x.org");
        assertEquals(Optional.empty(), throttle.wait("b", "user@x.org"), "the account is forgiven");
        assertEquals(Optional.of(Duration.ofMinutes(1)), throttle.wait("a", "user@x.org"),
                "the address used up its failures in this window");
        assertEquals(Optional.of(Duration.ofMinutes(1)), throttle.wait("a", null), "API keys from it too");
        now = now.plusSeconds(59);
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.wait("a", null));
        now = now.plusSeconds(1);
        assertEquals(Optional.empty(), throttle.wait("a", null), "a new window");
    }

    @Test
    void apiKeyFailuresCountAgainstTheAddressOnly() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("a", null);
        }
        assertTrue(throttle.wait("a", null).isPresent());
        assertEquals(Optional.empty(), throttle.wait("b", null));
    }

    @Test
    void theTablesStayBounded() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED + 10; i++) {
            throttle.failed("address " + i, "account" + i + "@x.org");
        }
        now = now.plus(Duration.ofMinutes(2));
        throttle.failed("late", "late@x.org");
        throttle.failed("late", "late@x.org");
        assertEquals(Optional.empty(), throttle.wait("address 1", "account1@x.org"), "spent entries went first");
    }

    @Test
    void passwordChecksTakeTurns() throws InterruptedException {
        assertTrue(throttle.awaitPasswordCheck(Duration.ZERO));
        assertTrue(throttle.awaitPasswordCheck(Duration.ZERO));
        assertFalse(throttle.awaitPasswordCheck(Duration.ofMillis(20)), "two at once at most");
        throttle.passwordChecked();
        assertTrue(throttle.awaitPasswordCheck(Duration.ZERO));
    }
}
