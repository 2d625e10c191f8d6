package dev.sliceplane.accounts.internal.credentials;

import java.time.Clock;
import java.util.Locale;

import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.accounts.internal.store.PasswordStore;

/**
 * Principals' passwords: set (length checked, hashed by {@link PasswordHasher}) and verified.
 * Verification costs the same whether or not the principal exists or has a password, and a
 * hash made with older parameters is replaced by one with the current parameters once the
 * password has been proved. Passwords are never logged and never in a message. Registered by the
 * registry component while the database is open.
 */
public final class Passwords {

    private final RegistryDatabase database;
    private final PasswordHasher hasher;
    private final Clock clock;

    public Passwords(RegistryDatabase database, PasswordHasher hasher, Clock clock) {
        this.database = database;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Sets or replaces the principal's password.
     *
     * @throws RegistryException INVALID (password) for a length out of bounds, NOT_FOUND for an unknown principal
     */
    public void set(String principal, char[] password) {
        if (principal == null || principal.isBlank()) {
            throw RegistryException.invalid("email", "is required");
        }
        checkLength(password);
        store(principal.toLowerCase(Locale.ROOT), password);
    }

    /** Whether {@code password} is the principal's; false also for unknown principals and for those without one. */
    public boolean verify(String principal, char[] password) {
        char[] candidate = password == null ? new char[0] : password;
        PasswordHash stored = principal == null ? null
                : database.inTransaction(c -> PasswordStore.get(c, principal.toLowerCase(Locale.ROOT)));
        if (stored == null) {
            hasher.verifyNothing(candidate);
            return false;
        }
        if (!hasher.verify(candidate, stored)) {
            return false;
        }
        if (!hasher.isCurrent(stored)) {
            // Proved, so re-hash with today's parameters (no length check: the password was accepted once).
            store(principal.toLowerCase(Locale.ROOT), candidate);
        }
        return true;
    }

    private void store(String email, char[] password) {
        PasswordHash hash = hasher.hash(password);
        database.inTransaction(c -> {
            PasswordStore.put(c, email, hash, clock.instant());
            return null;
        });
    }

    static void checkLength(char[] password) {
        if (password == null) {
            throw RegistryException.invalid("password", "is required");
        }
        int length = Character.codePointCount(password, 0, password.length);
        if (length < Credentials.MIN_PASSWORD_LENGTH || length > Credentials.MAX_PASSWORD_LENGTH) {
            throw RegistryException.invalid("password", "must be " + Credentials.MIN_PASSWORD_LENGTH + " to "
                    + Credentials.MAX_PASSWORD_LENGTH + " characters long, got " + length);
        }
    }
}
