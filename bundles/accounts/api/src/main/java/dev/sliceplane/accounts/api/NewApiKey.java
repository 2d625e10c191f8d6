package dev.sliceplane.accounts.api;

import java.util.Objects;

/**
 * A freshly created API key: {@code secret} is the whole key to hand to its principal, shown this
 * once.
 *
 * @param info   the key's public description
 * @param secret the key itself, {@code sp_<id>.<random>}
 * @since 1.1
 */
public record NewApiKey(ApiKeyInfo info, String secret) {

    public NewApiKey {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "NewApiKey[info=" + info + ", secret=(hidden)]";
    }
}
