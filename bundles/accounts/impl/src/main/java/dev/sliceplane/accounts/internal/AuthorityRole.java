package dev.sliceplane.accounts.internal;

/**
 * Marker service: this process is an authority. The components that make an authority (the
 * registry database, the signing keys) require it, so a node that has joined another authority
 * never opens a registry or makes keys of its own. Registered by the node component when no
 * {@code authorityUrl} is configured, which is the all-in-one default. One switch, in the
 * accounts bundle's own configuration, rather than a second reading of the platform's node roles
 * that could disagree with it.
 */
public final class AuthorityRole {
}
