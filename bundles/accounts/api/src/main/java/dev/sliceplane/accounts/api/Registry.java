package dev.sliceplane.accounts.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The authority's registry of sites, principals, slices, nodes and public keys.
 *
 * <p>Every method is one database transaction: a change is committed before the method returns
 * and a failed call changes nothing. Identities are natural keys and never change: a site's
 * login base, a principal's e-mail address, a slice's name, a node's host name, a key's
 * fingerprint. Uniqueness and references are enforced by the database, so concurrent callers
 * cannot slip past them. Lists are sorted by identity.
 *
 * <p>Failures are {@link RegistryException}s: {@code NOT_FOUND} when the object a call names does
 * not exist; {@code ALREADY_EXISTS} for a duplicate identity; {@code INVALID} for malformed input
 * or a reference to something missing (naming the field); {@code REFERENCED} when a delete would
 * orphan other objects; {@code LIMIT_REACHED} when a site has all its slices; {@code UNAVAILABLE}
 * when the database fails.
 */
@ProviderType
public interface Registry {

    /** Service property: the database behind the registry, {@code h2} or {@code postgresql}. */
    String DATABASE_PROPERTY = "sliceplane.accounts.database";

    // Sites

    /** Adds a site; {@code ALREADY_EXISTS} if its login base is taken. */
    Site addSite(Site site);

    /** The site with this login base; {@code NOT_FOUND} if none. */
    Site getSite(String loginBase);

    List<Site> listSites();

    /** Replaces the name, URL and slice cap of an existing site; {@code NOT_FOUND} if none. */
    Site updateSite(Site site);

    /**
     * Deletes a site; {@code REFERENCED} while it still has slices, principals or nodes, and
     * {@code NOT_FOUND} if there is none.
     */
    void deleteSite(String loginBase);

    // Principals

    /** Adds a principal; {@code ALREADY_EXISTS} for a known e-mail, {@code INVALID} (site) for an unknown site. */
    Principal addPrincipal(Principal principal);

    Principal getPrincipal(String email);

    List<Principal> listPrincipals(PrincipalFilter filter);

    /** Replaces name, site, roles and enabled; {@code NOT_FOUND} if the principal does not exist. */
    Principal updatePrincipal(Principal principal);

    /** Deletes a principal with their keys and slice memberships; {@code NOT_FOUND} if none. */
    void deletePrincipal(String email);

    // Slices

    /**
     * Adds a slice with its members. {@code INVALID} (name) when no site has the name's prefix as
     * login base, (members) for an unknown member, (expires) for an expiry not in the future;
     * {@code ALREADY_EXISTS} for a taken name; {@code LIMIT_REACHED} when the site holds
     * {@link Site#maxSlices()} slices already.
     */
    Slice addSlice(Slice slice);

    Slice getSlice(String name);

    List<Slice> listSlices(SliceFilter filter);

    /**
     * Replaces description, URL, expiry (which must be in the future), member set and sliver cap
     * of an existing slice; {@code NOT_FOUND} if none, {@code INVALID} (members) for an unknown member.
     */
    Slice updateSlice(Slice slice);

    /** Deletes a slice and its memberships; {@code NOT_FOUND} if none. */
    void deleteSlice(String name);

    /**
     * Makes a principal a member of a slice and returns the slice. {@code NOT_FOUND} for an
     * unknown slice, {@code INVALID} (member) for an unknown principal; adding a member twice is
     * not an error.
     */
    Slice addMember(String slice, String member);

    /** Removes a member and returns the slice; {@code NOT_FOUND} if the slice or the membership does not exist. */
    Slice removeMember(String slice, String member);

    // Nodes

    /** Adds a node; {@code ALREADY_EXISTS} for a known host name, {@code INVALID} (site) for an unknown site. */
    Node addNode(Node node);

    Node getNode(String hostname);

    List<Node> listNodes(NodeFilter filter);

    /** Replaces site, identity key and boot state; {@code NOT_FOUND} if the node does not exist. */
    Node updateNode(Node node);

    void deleteNode(String hostname);

    // Public keys (immutable: replace a key by adding the new one and deleting the old)

    /** Adds a key; {@code ALREADY_EXISTS} for a known fingerprint, {@code INVALID} (owner) for an unknown owner. */
    PublicKey addKey(PublicKey key);

    PublicKey getKey(String fingerprint);

    /** The keys of one principal, or every key when {@code owner} is null. */
    List<PublicKey> listKeys(String owner);

    void deleteKey(String fingerprint);
}
