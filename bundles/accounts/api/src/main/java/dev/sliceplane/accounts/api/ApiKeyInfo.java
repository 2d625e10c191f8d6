package dev.sliceplane.accounts.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as the authority describes it, without its secret.
 *
 * @param id        public identifier, also the key's prefix
 * @param principal the owner's email
 * @param created   when it was created
 * @since 1.1
 */
public record ApiKeyInfo(String id, String principal, Instant created) {

    public ApiKeyInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(created, "created");
    }
}
