package dev.sliceplane.accounts.internal.credentials;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.accounts.api.ApiKeyInfo;
import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.InvalidTokenException;
import dev.sliceplane.accounts.api.IssuedToken;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;

/**
 * {@link Credentials}: API keys kept by {@link ApiKeys} in the registry's database, exchanged for
 * tokens signed by the {@link AuthorityComponent}. Present while the database is open.
 */
@Component(service = Credentials.class)
public final class CredentialsComponent implements Credentials {

    private final Registry registry;
    private final ApiKeys apiKeys;
    private final AuthorityComponent authority;

    @Activate
    public CredentialsComponent(@Reference Registry registry, @Reference ApiKeys apiKeys,
            @Reference AuthorityComponent authority) {
        this.registry = registry;
        this.apiKeys = apiKeys;
        this.authority = authority;
    }

    @Override
    public NewApiKey createApiKey(String principal) {
        registry.getPrincipal(principal); // NOT_FOUND with the registry's message
        return apiKeys.create(principal);
    }

    @Override
    public List<ApiKeyInfo> listApiKeys(String principal) {
        return apiKeys.list(principal);
    }

    @Override
    public void deleteApiKey(String id) {
        apiKeys.delete(id);
    }

    @Override
    public IssuedToken issueToken(String apiKey) {
        String email = apiKeys.authenticate(apiKey);
        Principal principal;
        try {
            principal = registry.getPrincipal(email);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                throw new InvalidTokenException("the API key's principal is gone");
            }
            throw e;
        }
        if (!principal.enabled()) {
            throw new InvalidTokenException("the API key's principal is disabled");
        }
        return authority.issue(principal);
    }
}
