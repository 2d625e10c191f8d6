package dev.sliceplane.accounts.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The authority's credentials: API keys and passwords of principals, and the short-lived access
 * tokens they are exchanged for. Registered while the registry's database is open. Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface Credentials {

    /** Fewest characters (Unicode code points) of a password. @since 1.2 */
    int MIN_PASSWORD_LENGTH = 12;

    /** Most characters (Unicode code points) of a password. @since 1.2 */
    int MAX_PASSWORD_LENGTH = 1024;

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

    /**
     * Sets or replaces a principal's password. The authority keeps only a salted Argon2id hash
     * with its parameters. The caller may clear {@code password} afterwards; it is never logged.
     *
     * @throws RegistryException NOT_FOUND for an unknown principal; INVALID (field
     *                           {@code password}) for fewer than {@link #MIN_PASSWORD_LENGTH} or
     *                           more than {@link #MAX_PASSWORD_LENGTH} characters
     * @since 1.2
     */
    void setPassword(String principal, char[] password);

    /**
     * Exchanges a principal's e-mail address and password for an access token. An unknown
     * address, a principal without a password, a wrong password and a disabled principal all
     * fail alike and after the same work, so the answer does not tell which it was.
     *
     * @throws InvalidTokenException when the address and password authenticate no enabled principal
     * @since 1.2
     */
    IssuedToken issueToken(String email, char[] password);
}
