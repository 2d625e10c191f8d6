package dev.sliceplane.accounts.internal.http;

import java.util.Arrays;

import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code PUT /api/v1/accounts/principals/{email}/password} with {@code {"password": "..."}}:
 * 204. The principal themselves or an admin; 12 to 1024 characters. The password is read into a
 * char array that is cleared once hashed, and it appears in no answer and no log line.
 */
final class PasswordResource {

    /** The request body. */
    record Body(char[] password) {
        @Override
        public String toString() {
            return "Body[password=(hidden)]";
        }
    }

    private final Registry registry;
    private final Credentials credentials;

    PasswordResource(Registry registry, Credentials credentials) {
        this.registry = registry;
        this.credentials = credentials;
    }

    void put(Caller caller, String email, Body body, HttpServletResponse resp) {
        try {
            AccessRules.manageCredentials(caller, email);
            Principal principal = registry.getPrincipal(email); // 404 for an unknown address, even to admins
            if (body.password() == null) {
                throw RegistryException.invalid("password", "is required");
            }
            credentials.setPassword(principal.email(), body.password());
            AccountsServlet.noContent(resp);
        } finally {
            if (body.password() != null) {
                Arrays.fill(body.password(), '\0');
            }
        }
    }
}
