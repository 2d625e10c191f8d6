/**
 * The accounts implementation: the registry over JDBC and, in {@code credentials}, the
 * authority's keys and tokens. Accounts is a core sub-service: one agreed version, never swapped.
 */
@SubServiceImplementation(value = "accounts", api = {
        "dev.sliceplane.accounts.api.Registry",
        "dev.sliceplane.accounts.api.Credentials",
        "dev.sliceplane.accounts.api.TokenVerifier"}, isDefault = true, core = true)
package dev.sliceplane.accounts.internal;

import dev.sliceplane.platform.api.swap.SubServiceImplementation;
