package dev.sliceplane.accounts.internal.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sliceplane.accounts.api.ApiKeyInfo;
import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A principal's API keys, for the principal themselves and admins:
 * {@code GET .../principals/{email}/api-keys} lists them without secrets;
 * {@code POST} (no body) makes one and answers its secret this once ({@code Cache-Control:
 * no-store}); {@code DELETE .../api-keys/{id}} deletes one of that principal's keys.
 */
final class ApiKeysResource {

    static final String SEGMENT = "api-keys";

    private final Registry registry;
    private final Credentials credentials;

    ApiKeysResource(Registry registry, Credentials credentials) {
        this.registry = registry;
        this.credentials = credentials;
    }

    void list(Caller caller, String email, HttpServletResponse resp) throws IOException {
        Principal owner = owner(caller, email);
        AccountsServlet.send(resp, 200, credentials.listApiKeys(owner.email()));
    }

    void create(Caller caller, String email, HttpServletResponse resp) throws IOException {
        Principal owner = owner(caller, email);
        NewApiKey key = credentials.createApiKey(owner.email());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", key.info().id());
        body.put("principal", key.info().principal());
        body.put("created", key.info().created());
        body.put("apiKey", key.secret());
        resp.setHeader("Cache-Control", "no-store");
        AccountsServlet.created(resp, body, "principals", owner.email(), SEGMENT, key.info().id());
    }

    void delete(Caller caller, String email, String id, HttpServletResponse resp) {
        Principal owner = owner(caller, email);
        // Key ids are global: delete only one that belongs to the principal named in the path.
        boolean theirs = credentials.listApiKeys(owner.email()).stream().map(ApiKeyInfo::id).anyMatch(id::equals);
        if (!theirs) {
            throw RegistryException.notFound("principal '" + owner.email() + "' has no API key '"
                    + AccountsJson.shorten(id) + "'");
        }
        credentials.deleteApiKey(id);
        AccountsServlet.noContent(resp);
    }

    /** The principal whose keys these are, once the caller may manage them. */
    private Principal owner(Caller caller, String email) {
        AccessRules.manageCredentials(caller, email);
        return registry.getPrincipal(email);
    }
}
