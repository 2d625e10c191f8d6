package dev.sliceplane.accounts.internal.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Slows down guessing at {@code POST /api/v1/accounts/tokens}, and bounds the work it costs.
 *
 * <ul>
 * <li><b>Per account</b> (the e-mail address, known or not, so the answer tells nothing about
 * which addresses exist): after {@code freeFailures} failed passwords in a row, each further
 * attempt must wait twice as long as the one before since the last failure (1 s, 2 s, 4 s, …,
 * up to {@code maxLockout}). A success clears it.</li>
 * <li><b>Per client address</b> (passwords and API keys alike): at most {@code failuresPerAddress}
 * failures per {@code addressWindow}; a success does not clear it, so one valid account does not
 * buy an attacker more guesses at others.</li>
 * <li><b>Password checks at once</b>: each costs an Argon2id hash (19 MiB, tens of ms); at most
 * {@code concurrentPasswordChecks} run together, so a burst cannot exhaust the heap.</li>
 * </ul>
 *
 * <p>A refused attempt does no credential work at all. The tables keep at most
 * {@value #MAX_TRACKED} entries each; past that, entries with nothing left to enforce go first,
 * then the table starts over (an attacker who floods it with addresses loses the per-account
 * history of the others, not their passwords). Thread-safe.
 */
final class LoginThrottle {

    static final int MAX_TRACKED = 10_000;

    /**
     * @param freeFailures             failed passwords in a row per account before attempts must wait
     * @param maxLockout               the longest wait per account
     * @param failuresPerAddress       failures allowed per client address in one window
     * @param addressWindow            that window
     * @param concurrentPasswordChecks password hashes computed at once
     */
    record Settings(int freeFailures, Duration maxLockout, int failuresPerAddress, Duration addressWindow,
                    int concurrentPasswordChecks) {

        static final Settings DEFAULT = new Settings(5, Duration.ofMinutes(15), 30, Duration.ofMinutes(10),
                Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Failures of one account in a row, and when the last was. */
    private record AccountFailures(int count, Instant last) {
    }

    /** Failures from one address in the window that began at {@code start}. */
    private record AddressFailures(int count, Instant start) {
    }

    private final Settings settings;
    private final InstantSource clock;
    private final Map<String, AccountFailures> accounts = new ConcurrentHashMap<>();
    private final Map<String, AddressFailures> addresses = new ConcurrentHashMap<>();
    private final Semaphore passwordChecks;

    LoginThrottle(Settings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        this.passwordChecks = new Semaphore(settings.concurrentPasswordChecks(), true);
    }

    /** How long this attempt must wait before it would be heard, or empty when it may go ahead now. */
    Optional<Duration> wait(String address, String account) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        AddressFailures fromAddress = addresses.get(address);
        if (fromAddress != null && fromAddress.count() >= settings.failuresPerAddress()) {
            wait = max(wait, Duration.between(now, fromAddress.start().plus(settings.addressWindow())));
        }
        if (account != null) {
            AccountFailures ofAccount = accounts.get(key(account));
            if (ofAccount != null) {
                wait = max(wait, Duration.between(now, ofAccount.last().plus(lockout(ofAccount.count()))));
            }
        }
        return wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /** Records a failed attempt; {@code account} is null for an API key. */
    void failed(String address, String account) {
        Instant now = clock.instant();
        bound(addresses, a -> !now.isBefore(a.start().plus(settings.addressWindow())));
        addresses.compute(address, (a, before) -> before == null || !now.isBefore(before.start().plus(settings.addressWindow()))
                ? new AddressFailures(1, now) : new AddressFailures(before.count() + 1, before.start()));
        if (account != null) {
            bound(accounts, a -> !now.isBefore(a.last().plus(settings.maxLockout())));
            accounts.merge(key(account), new AccountFailures(1, now),
                    (before, one) -> new AccountFailures(before.count() + 1, now));
        }
    }

    /** Records a success: the account's failures are forgiven, the address's are not. */
    void succeeded(String account) {
        if (account != null) {
            accounts.remove(key(account));
        }
    }

    /**
     * Takes a turn to check a password, waiting at most {@code patience}; false when none came
     * (the caller answers "busy"). A true answer must be followed by {@link #passwordChecked()}.
     */
    boolean awaitPasswordCheck(Duration patience) throws InterruptedException {
        return passwordChecks.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS);
    }

    void passwordChecked() {
        passwordChecks.release();
    }

    /** The wait after {@code failures} in a row: none within the free ones, then 1 s doubling up to the cap. */
    private Duration lockout(int failures) {
        int beyond = failures - settings.freeFailures();
        if (beyond < 0) {
            return Duration.ZERO;
        }
        Duration doubled = beyond >= 30 ? settings.maxLockout() : Duration.ofSeconds(1L << beyond);
        return doubled.compareTo(settings.maxLockout()) > 0 ? settings.maxLockout() : doubled;
    }

    /** Keeps a table within {@link #MAX_TRACKED}: first without what has nothing left to enforce, else empty. */
    private static <V> void bound(Map<String, V> table, Predicate<V> spent) {
        if (table.size() < MAX_TRACKED) {
            return;
        }
        table.values().removeIf(spent);
        if (table.size() >= MAX_TRACKED) {
            table.clear();
        }
    }

    private static String key(String account) {
        return account.trim().toLowerCase(Locale.ROOT);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
