package dev.sliceplane.accounts.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The authority's credentials: API keys of principals, and the short-lived access tokens they
 * are exchanged for. Registered while the registry's database is open. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface Credentials {

    /**
     * Creates an API key for an enabled principal. The secret is in the result only; the
     * authority keeps a hash of it.
     *
     * @throws RegistryException NOT_FOUND for an unknown principal
     */
    NewApiKey createApiKey(String principal);

    /** The API keys of a principal, without their secrets. */
    List<ApiKeyInfo> listApiKeys(String principal);

    /**
     * Deletes an API key; tokens already issued with it stay valid until they expire.
     *
     * @throws RegistryException NOT_FOUND for an unknown key id
     */
    void deleteApiKey(String id);

    /**
     * Exchanges an API key for an access token signed by the authority's current key.
     *
     * @throws InvalidTokenException when the key is unknown, wrong, or its principal is disabled
     */
    IssuedToken issueToken(String apiKey);
}
