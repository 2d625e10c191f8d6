package dev.sliceplane.accounts.internal.http;

import java.util.EnumSet;
import java.util.Set;

import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * Who may do what to which registry object: the object-level half of the accounts routes'
 * authorization (the role half is each handler's {@code @Allow}). Each check takes the caller and
 * the object and either returns or throws a 403 problem whose {@code rule} names the rule that
 * refused and whose detail says what it allows. Admins pass every rule.
 *
 * <p>"Self" and "of a site" are facts about principals: a node caller is never anyone's self,
 * and its site grants it nothing here. The caller's roles and site are those its token carries
 * (at most one token lifetime old).
 */
final class AccessRules {

    /** Roles a PI may grant to and take from the principals of their site. */
    static final Set<Role> PI_GRANTABLE = EnumSet.of(Role.PI, Role.USER, Role.TECH);
    /** What a PI may change on their own site. */
    static final Set<String> PI_SITE_FIELDS = Set.of("name", "url");
    /** What a principal may change on themselves without another role. */
    static final Set<String> SELF_FIELDS = Set.of("name");

    private AccessRules() {
    }

    // Sites

    static void createSite(Caller caller) {
        requireAdmin(caller, "site-create", "only admins create sites");
    }

    static void updateSite(Caller caller, Site site, Set<String> changed) {
        if (caller.isAdmin()) {
            return;
        }
        if (!isPrincipalWith(caller, Roles.PI) || !caller.site().equals(site.loginBase())) {
            throw refused("site-update", "only admins and the PIs of site '" + site.loginBase() + "' change it");
        }
        if (!PI_SITE_FIELDS.containsAll(changed)) {
            throw refused("site-update-pi-fields", "a PI changes only the name and url of their site, not "
                    + without(changed, PI_SITE_FIELDS));
        }
    }

    static void deleteSite(Caller caller) {
        requireAdmin(caller, "site-delete", "only admins delete sites");
    }

    // Principals

    /** The filter a listing runs with: admins as asked; everyone else their own site's only. */
    static PrincipalFilter principalFilter(Caller caller, PrincipalFilter requested) {
        if (caller.isAdmin()) {
            return requested;
        }
        if (caller.kind() != Caller.Kind.PRINCIPAL) {
            throw refused("principal-list", "principals are listed by admins and by principals for their own site");
        }
        if (requested.site() != null && !requested.site().equals(caller.site())) {
            throw refused("principal-list-own-site", "only admins list the principals of other sites than their own");
        }
        return new PrincipalFilter(caller.site(), requested.role());
    }

    static void readPrincipal(Caller caller, Principal principal) {
        if (caller.isAdmin() || isSelf(caller, principal.email()) || ofSite(caller, principal.site())) {
            return;
        }
        throw refused("principal-read", "principals are visible to admins, themselves and their own site");
    }

    static void createPrincipal(Caller caller, Principal principal) {
        if (caller.isAdmin()) {
            return;
        }
        if (!isPrincipalWith(caller, Roles.PI)) {
            throw refused("principal-create", "only admins and PIs (for their own site) add principals");
        }
        if (!caller.site().equals(principal.site())) {
            throw refused("principal-create-own-site", "a PI adds principals to their own site only");
        }
        if (!PI_GRANTABLE.containsAll(principal.roles())) {
            throw refused("principal-create-roles", "a PI grants only the roles pi, user and tech");
        }
    }

    static void updatePrincipal(Caller caller, Principal current, Principal updated, Set<String> changed) {
        if (caller.isAdmin()) {
            return;
        }
        if (isPrincipalWith(caller, Roles.PI) && caller.site().equals(current.site())) {
            if (changed.contains("site")) {
                throw refused("principal-update-site", "only admins move principals between sites");
            }
            if (current.hasRole(Role.ADMIN)) {
                throw refused("principal-update-admin", "only admins change an admin");
            }
            Set<Role> touched = EnumSet.noneOf(Role.class);
            touched.addAll(current.roles());
            touched.addAll(updated.roles());
            touched.removeIf(role -> current.hasRole(role) == updated.hasRole(role));
            if (!PI_GRANTABLE.containsAll(touched)) {
                throw refused("principal-update-roles", "a PI grants and revokes only the roles pi, user and tech");
            }
            return;
        }
        if (isSelf(caller, current.email())) {
            if (!SELF_FIELDS.containsAll(changed)) {
                throw refused("principal-update-self", "a principal changes only their own name, not "
                        + without(changed, SELF_FIELDS));
            }
            return;
        }
        throw refused("principal-update", "only admins, the PIs of their site and they themselves change a principal");
    }

    static void deletePrincipal(Caller caller, Principal principal) {
        if (caller.isAdmin()) {
            return;
        }
        if (isPrincipalWith(caller, Roles.PI) && caller.site().equals(principal.site())) {
            if (isSelf(caller, principal.email())) {
                throw refused("principal-delete-self", "a PI cannot delete themselves");
            }
            if (principal.hasRole(Role.ADMIN)) {
                throw refused("principal-delete-admin", "only admins delete an admin");
            }
            return;
        }
        throw refused("principal-delete", "only admins and the PIs of their site delete a principal");
    }

    /** Passwords and API keys: the principal's own business, and admins'. */
    static void manageCredentials(Caller caller, String email) {
        if (caller.isAdmin() || isSelf(caller, email)) {
            return;
        }
        throw refused("credentials-self", "only the principal themselves and admins manage their password and API keys");
    }

    // Slices

    /** Admins and techs see every slice; a PI their site's and their own; a user their own. */
    static boolean canSeeSlice(Caller caller, Slice slice) {
        if (caller.hasAnyRole(Roles.ADMIN, Roles.TECH)) {
            return true;
        }
        if (isPrincipalWith(caller, Roles.PI) && caller.site().equals(slice.site())) {
            return true;
        }
        return (isPrincipalWith(caller, Roles.PI) || isPrincipalWith(caller, Roles.USER))
                && slice.members().contains(caller.id());
    }

    static void readSlice(Caller caller, Slice slice) {
        if (!canSeeSlice(caller, slice)) {
            throw refused("slice-read", "slices are visible to admins and techs, to PIs of their site and to their members");
        }
    }

    /** Whether the caller may list slices at all (the listing then shows only what they may see). */
    static void listSlices(Caller caller) {
        if (!caller.hasAnyRole(Roles.ADMIN, Roles.TECH, Roles.PI, Roles.USER) || caller.kind() != Caller.Kind.PRINCIPAL) {
            throw refused("slice-list", "slices are listed by admins, techs, PIs and users");
        }
    }

    static void createSlice(Caller caller, Slice slice) {
        if (caller.isAdmin()) {
            return;
        }
        if (isPrincipalWith(caller, Roles.PI) && caller.site().equals(slice.site())) {
            return;
        }
        throw refused("slice-create-own-site", "a PI creates slices named after their own site ('"
                + (caller.site().isEmpty() ? "<site>" : caller.site()) + "_...')");
    }

    /** Changing, deleting and adding members: admins and the PIs of the slice's site. */
    static void manageSlice(Caller caller, Slice slice) {
        if (caller.isAdmin() || (isPrincipalWith(caller, Roles.PI) && caller.site().equals(slice.site()))) {
            return;
        }
        throw refused("slice-manage", "only admins and the PIs of site '" + slice.site() + "' manage slice '"
                + slice.name() + "'");
    }

    /** Removing a member: as {@link #manageSlice}, or the member leaving. */
    static void removeMember(Caller caller, Slice slice, String member) {
        if (isSelf(caller, member)) {
            return;
        }
        if (caller.isAdmin() || (isPrincipalWith(caller, Roles.PI) && caller.site().equals(slice.site()))) {
            return;
        }
        throw refused("slice-member-remove", "only admins, the PIs of site '" + slice.site()
                + "' and the member themselves remove a member");
    }

    // Public keys

    /** Whose keys a caller may list and read: all for admins; their own and their site's for others. */
    static void readKeysOf(Caller caller, Principal owner) {
        if (caller.isAdmin() || isSelf(caller, owner.email()) || ofSite(caller, owner.site())) {
            return;
        }
        throw refused("key-read", "keys are visible to admins, their owner and the owner's site");
    }

    /** Adding and deleting keys: the owner, admins, and the PIs of the owner's site. */
    static void manageKeysOf(Caller caller, Principal owner) {
        if (caller.isAdmin() || isSelf(caller, owner.email())
                || (isPrincipalWith(caller, Roles.PI) && caller.site().equals(owner.site()))) {
            return;
        }
        throw refused("key-manage", "only the owner, admins and the PIs of the owner's site add or delete keys");
    }

    // Nodes

    /** Adding, changing and deleting nodes: admins, and the PIs and techs of the node's site. */
    static void manageNode(Caller caller, Node node) {
        if (caller.isAdmin()) {
            return;
        }
        if ((isPrincipalWith(caller, Roles.PI) || isPrincipalWith(caller, Roles.TECH))
                && caller.site().equals(node.site())) {
            return;
        }
        throw refused("node-manage", "only admins and the PIs and techs of site '" + node.site() + "' manage its nodes");
    }

    static void updateNode(Caller caller, Node current, Set<String> changed) {
        manageNode(caller, current);
        if (!caller.isAdmin() && changed.contains("site")) {
            throw refused("node-update-site", "only admins move nodes between sites");
        }
    }

    // Building blocks

    static ProblemException refused(String rule, String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", "refused by rule '" + rule + "': " + detail)
                .with("rule", rule));
    }

    private static void requireAdmin(Caller caller, String rule, String detail) {
        if (!caller.isAdmin()) {
            throw refused(rule, detail);
        }
    }

    private static boolean isPrincipalWith(Caller caller, String role) {
        return caller.kind() == Caller.Kind.PRINCIPAL && caller.hasRole(role);
    }

    private static boolean isSelf(Caller caller, String email) {
        return caller.kind() == Caller.Kind.PRINCIPAL && caller.id().equalsIgnoreCase(email);
    }

    private static boolean ofSite(Caller caller, String site) {
        return caller.kind() == Caller.Kind.PRINCIPAL && !caller.site().isEmpty() && caller.site().equals(site);
    }

    private static Set<String> without(Set<String> fields, Set<String> allowed) {
        Set<String> rest = new java.util.TreeSet<>(fields);
        rest.removeAll(allowed);
        return rest;
    }
}
