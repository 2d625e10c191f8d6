package dev.sliceplane.accounts.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A person (or program) known to the authority. Secrets (API-key and password hashes) are kept
 * apart from this record, so passing it around never exposes them.
 *
 * @param email the login, unique and immutable: an e-mail address of at most 254 characters,
 *        kept in lower case
 * @param name the display name (1-200 characters)
 * @param site the login base of the principal's site, which must exist
 * @param roles what the principal may do; may be empty
 * @param enabled whether the principal may authenticate at all
 */
public record Principal(String email, String name, String site, Set<Role> roles, boolean enabled) {

    public Principal {
        email = Checks.email("email", email);
        name = Checks.text("name", name, Checks.MAX_NAME);
        Checks.loginBase("site", site);
        Checks.noNulls("roles", roles);
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }
}
