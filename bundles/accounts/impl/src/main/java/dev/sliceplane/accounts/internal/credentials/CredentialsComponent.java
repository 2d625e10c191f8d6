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
 * {@link Credentials}: API keys kept by {@link ApiKeys} and passwords kept by {@link Passwords} in
 * the registry's database, exchanged for tokens signed by the {@link AuthorityComponent}. Present
 * while the database is open.
 */
@Component(service = Credentials.class)
public final class CredentialsComponent implements Credentials {

    private final Registry registry;
    private final ApiKeys apiKeys;
    private final Passwords passwords;
    private final AuthorityComponent authority;

    @Activate
    public CredentialsComponent(@Reference Registry registry, @Reference ApiKeys apiKeys,
            @Reference Passwords passwords, @Reference AuthorityComponent authority) {
        this.registry = registry;
        this.apiKeys = apiKeys;
        this.passwords = passwords;
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
        return tokenFor(apiKeys.authenticate(apiKey), "API key");
    }

    @Override
    public void setPassword(String principal, char[] password) {
        passwords.set(principal, password);
    }

    @Override
    public IssuedToken issueToken(String email, char[] password) {
        // The same exception for an unknown address and a wrong password; both did the same hashing.
        if (!passwords.verify(email, password)) {
            throw new InvalidTokenException("wrong e-mail address or password");
        }
        return tokenFor(email, "password");
    }

    /** A token for the principal a credential proved, if they still exist and are enabled. */
    private IssuedToken tokenFor(String email, String credential) {
        Principal principal;
        try {
            principal = registry.getPrincipal(email);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                throw new InvalidTokenException("the " + credential + "'s principal is gone");
            }
            throw e;
        }
        if (!principal.enabled()) {
            throw new InvalidTokenException("the " + credential + "'s principal is disabled");
        }
        return authority.issue(principal);
    }
}
