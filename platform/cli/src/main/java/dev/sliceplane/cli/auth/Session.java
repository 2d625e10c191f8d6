package dev.sliceplane.cli.auth;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiClient;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.http.ApiProblemException;

/**
 * The caller's access token for one node. In order: {@code SLICEPLANE_TOKEN} when set; the
 * stored token while it is valid; a silent login with {@code SLICEPLANE_API_KEY} or the API key
 * file remembered at login; otherwise the caller is told to run {@code sliceplane login}. As with
 * the token, the environment's API key decides who the caller is: a stored token issued for
 * another key (or a password) is not used while {@code SLICEPLANE_API_KEY} is set.
 */
public final class Session {

    static final String TOKENS = ApiPath.accounts("tokens").toString();

    private final ApiClient client;
    private final TokenStore store;
    private final Environment env;
    private final ObjectMapper json;

    public Session(ApiClient client, TokenStore store, Environment env, ObjectMapper json) {
        this.client = client;
        this.store = store;
        this.env = env;
        this.json = json;
    }

    /** The key tokens are stored under: the node's URL. */
    public String node() {
        return client.node().toString();
    }

    /**
     * The token to send now, if there is one: {@code SLICEPLANE_TOKEN}, the stored token while it
     * is valid, or a new one from a silent login. Empty when the caller has to log in; requests
     * then go without one, so the node itself says whether it needs one, or is not there at all.
     */
    public Optional<String> currentToken() {
        Optional<String> override = env.variable(Environment.TOKEN);
        if (override.isPresent()) {
            return override;
        }
        Optional<StoredToken> stored = usableStoredToken();
        if (stored.isPresent()) {
            return Optional.of(stored.get().token());
        }
        if (canLogInSilently()) {
            return Optional.of(logInSilently());
        }
        return Optional.empty();
    }

    /** A token to hand out ({@code sliceplane token}), or a failure saying how to get one. */
    public String accessToken() {
        return currentToken().orElseThrow(this::notLoggedIn);
    }

    /** What to tell a caller whose request the node refused with 401 and who cannot log in silently. */
    public CliException refused(ApiProblemException unauthorized) {
        if (env.variable(Environment.TOKEN).isPresent()) {
            return unauthorized.withHint("the node refused $" + Environment.TOKEN);
        }
        if (usableStoredToken().isPresent()) {
            return unauthorized.withHint("run 'sliceplane login'");
        }
        return notLoggedIn();
    }

    /** The stored token when it is valid and, with SLICEPLANE_API_KEY set, was issued for that key. */
    private Optional<StoredToken> usableStoredToken() {
        Optional<String> environmentKey = env.variable(Environment.API_KEY).map(String::strip);
        return store.get(node())
                .filter(stored -> stored.usableAt(now()))
                .filter(stored -> environmentKey.isEmpty()
                        || new LoginSecret.ApiKey(environmentKey.get()).digest().equals(stored.keyDigest()));
    }

    private CliException notLoggedIn() {
        Optional<StoredToken> stored = store.get(node());
        return new CliException(stored.isPresent()
                ? "the token for " + node() + " expired at " + stored.get().expiresAt() + "; run 'sliceplane login'"
                : "not logged in to " + node() + "; run 'sliceplane login'");
    }

    /** Whether a refused or expired token can be replaced without asking the person. */
    public boolean canLogInSilently() {
        return env.variable(Environment.TOKEN).isEmpty() && silentSecret().isPresent();
    }

    /** Logs in again with the API key from the environment or the remembered file; returns the new token. */
    public String logInSilently() {
        String rememberedFile = store.get(node()).map(StoredToken::apiKeyFile).orElse(null);
        LoginSecret secret = silentSecret().orElseThrow(() -> new CliException("no API key to log in to " + node()
                + " with; run 'sliceplane login'"));
        return logIn(secret, rememberedFile).token();
    }

    /**
     * Exchanges the secret for a token and stores it.
     *
     * @param apiKeyFile the file the key came from, remembered for silent logins; null for none
     */
    public StoredToken logIn(LoginSecret secret, String apiKeyFile) {
        JsonNode issued = client.send("POST", TOKENS, secret.body(json), null);
        String token = issued.path("token").asText("");
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(issued.path("expiresAt").asText(""));
        } catch (DateTimeParseException e) {
            expiresAt = null;
        }
        if (token.isEmpty() || expiresAt == null) {
            // The answer is not echoed: it may hold a token.
            throw new CliException("the node's answer to login lacks a token or its expiry (expiresAt)");
        }
        StoredToken stored = new StoredToken(token, expiresAt, apiKeyFile, secret.digest());
        store.put(node(), stored);
        return stored;
    }

    /** Forgets the stored token; false when there was none. */
    public boolean logOut() {
        return store.remove(node());
    }

    private Optional<LoginSecret> silentSecret() {
        Optional<String> key = env.variable(Environment.API_KEY);
        if (key.isPresent()) {
            return Optional.of(new LoginSecret.ApiKey(key.get().strip()));
        }
        return store.get(node()).map(StoredToken::apiKeyFile).map(file -> ApiKeyFile.read(Path.of(file)));
    }

    private Instant now() {
        return env.clock().instant();
    }
}
