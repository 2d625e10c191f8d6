package dev.sliceplane.accounts.internal.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/** Every row of the accounts routes' table: who passes each object rule and who is refused, by which rule. */
class AccessRulesTest {

    static final Instant LATER = Instant.now().plus(1, ChronoUnit.HOURS);

    // Callers: princeton is "our" site, mit the other one.
    static final Caller ADMIN = caller("root@authority.org", "authority", Roles.ADMIN);
    static final Caller PI = caller("pi@princeton.edu", "princeton", Roles.PI);
    static final Caller OTHER_PI = caller("pi@mit.edu", "mit", Roles.PI);
    static final Caller USER = caller("user@princeton.edu", "princeton", Roles.USER);
    static final Caller OTHER_USER = caller("user@mit.edu", "mit", Roles.USER);
    static final Caller TECH = caller("tech@princeton.edu", "princeton", Roles.TECH);
    static final Caller OTHER_TECH = caller("tech@mit.edu", "mit", Roles.TECH);
    static final Caller NO_ROLE = caller("nobody@princeton.edu", "princeton");
    static final Caller NODE = Caller.node("node1.princeton.edu", "princeton", "jti", LATER);

    static final Site PRINCETON = new Site("princeton", "Princeton", "", 10);
    static final Site MIT = new Site("mit", "MIT", "", 10);

    static Caller caller(String email, String site, String... roles) {
        return Caller.principal(email, site, Set.of(roles), "jti-" + email, LATER);
    }

    static Principal principal(String email, String site, Role... roles) {
        return new Principal(email, "Person", site, Set.of(roles), true);
    }

    static Slice slice(String name, String... members) {
        return new Slice(name, "", "", LATER, Set.of(members), 10);
    }

    static void allowed(Executable check) {
        assertDoesNotThrow(check);
    }

    static void refused(String rule, Executable check) {
        ProblemException e = assertThrows(ProblemException.class, check);
        assertEquals(403, e.problem().status());
        assertEquals("https://sliceplane.dev/problems/forbidden", e.problem().type());
        assertEquals(rule, e.problem().extensions().get("rule"), e.problem().detail());
        assertTrue(e.problem().detail().contains("'" + rule + "'"), "the detail names the rule: " + e.problem().detail());
    }

    static void allowed(Executable check, String why) {
        assertDoesNotThrow(check, why);
    }

    static void refused(String rule, Executable check, String why) {
        ProblemException e = assertThrows(ProblemException.class, check, why);
        assertEquals(rule, e.problem().extensions().get("rule"), why);
    }

    @Nested
    class Sites {
        @Test
        void onlyAdminsCreateAndDelete() {
            allowed(() -> AccessRules.createSite(ADMIN));
            allowed(() -> AccessRules.deleteSite(ADMIN));
            for (Caller other : new Caller[] {PI, USER, TECH, NO_ROLE, NODE}) {
                refused("site-create", () -> AccessRules.createSite(other));
                refused("site-delete", () -> AccessRules.deleteSite(other));
            }
        }

        @Test
        void adminsChangeAnythingAndAPiTheNameAndUrlOfTheirSite() {
            allowed(() -> AccessRules.updateSite(ADMIN, PRINCETON, Set.of("name", "url", "maxSlices")));
            allowed(() -> AccessRules.updateSite(PI, PRINCETON, Set.of("name", "url")));
            allowed(() -> AccessRules.updateSite(PI, PRINCETON, Set.of()));
            refused("site-update-pi-fields", () -> AccessRules.updateSite(PI, PRINCETON, Set.of("name", "maxSlices")));
            refused("site-update", () -> AccessRules.updateSite(OTHER_PI, PRINCETON, Set.of("name")));
            refused("site-update", () -> AccessRules.updateSite(TECH, PRINCETON, Set.of("name")));
            refused("site-update", () -> AccessRules.updateSite(USER, PRINCETON, Set.of("name")));
            refused("site-update", () -> AccessRules.updateSite(NODE, PRINCETON, Set.of("name")));
        }
    }

    @Nested
    class Principals {
        final Principal user = principal("user@princeton.edu", "princeton", Role.USER);
        final Principal pi = principal("pi@princeton.edu", "princeton", Role.PI);
        final Principal admin = principal("admin@princeton.edu", "princeton", Role.ADMIN);

        @Test
        void adminsListEverySiteOthersOnlyTheirOwn() {
            PrincipalFilter mit = new PrincipalFilter("mit", Role.PI);
            assertEquals(mit, AccessRules.principalFilter(ADMIN, mit));
            assertEquals(PrincipalFilter.ALL, AccessRules.principalFilter(ADMIN, PrincipalFilter.ALL));
            assertEquals(new PrincipalFilter("princeton", null), AccessRules.principalFilter(USER, PrincipalFilter.ALL));
            assertEquals(new PrincipalFilter("princeton", Role.PI),
                    AccessRules.principalFilter(PI, new PrincipalFilter("princeton", Role.PI)));
            refused("principal-list-own-site", () -> AccessRules.principalFilter(PI, mit));
            refused("principal-list-own-site", () -> AccessRules.principalFilter(USER, PrincipalFilter.ofSite("mit")));
            refused("principal-list", () -> AccessRules.principalFilter(NODE, PrincipalFilter.ALL));
        }

        @Test
        void readByAdminsThemselvesAndTheirSite() {
            allowed(() -> AccessRules.readPrincipal(ADMIN, user));
            allowed(() -> AccessRules.readPrincipal(USER, user));
            allowed(() -> AccessRules.readPrincipal(NO_ROLE, user));
            allowed(() -> AccessRules.readPrincipal(TECH, user));
            refused("principal-read", () -> AccessRules.readPrincipal(OTHER_PI, user));
            refused("principal-read", () -> AccessRules.readPrincipal(OTHER_USER, user));
            refused("principal-read", () -> AccessRules.readPrincipal(NODE, user));
        }

        @Test
        void createdByAdminsAndByPisForTheirSiteWithPiUserTech() {
            allowed(() -> AccessRules.createPrincipal(ADMIN, principal("x@mit.edu", "mit", Role.ADMIN)));
            allowed(() -> AccessRules.createPrincipal(PI, principal("x@princeton.edu", "princeton", Role.PI, Role.USER, Role.TECH)));
            allowed(() -> AccessRules.createPrincipal(PI, principal("x@princeton.edu", "princeton")));
            refused("principal-create-own-site", () -> AccessRules.createPrincipal(PI, principal("x@mit.edu", "mit", Role.USER)));
            refused("principal-create-roles", () -> AccessRules.createPrincipal(PI, principal("x@princeton.edu", "princeton", Role.ADMIN)));
            refused("principal-create-roles",
                    () -> AccessRules.createPrincipal(PI, principal("x@princeton.edu", "princeton", Role.USER, Role.NODE_OWNER)));
            refused("principal-create", () -> AccessRules.createPrincipal(USER, principal("x@princeton.edu", "princeton")));
            refused("principal-create", () -> AccessRules.createPrincipal(TECH, principal("x@princeton.edu", "princeton")));
            refused("principal-create", () -> AccessRules.createPrincipal(NODE, principal("x@princeton.edu", "princeton")));
        }

        @Test
        void updatedByAdminsAnything() {
            Principal moved = principal("user@princeton.edu", "mit", Role.ADMIN);
            allowed(() -> AccessRules.updatePrincipal(ADMIN, user, moved, Set.of("site", "roles")));
            allowed(() -> AccessRules.updatePrincipal(ADMIN, admin, principal(admin.email(), "princeton"), Set.of("roles")));
        }

        @Test
        void updatedByPisOfTheirSiteWithoutSiteMovesAdminOrNodeOwner() {
            Principal promoted = principal("user@princeton.edu", "princeton", Role.USER, Role.PI, Role.TECH);
            allowed(() -> AccessRules.updatePrincipal(PI, user, promoted, Set.of("roles")));
            Principal disabled = new Principal(user.email(), "New name", "princeton", user.roles(), false);
            allowed(() -> AccessRules.updatePrincipal(PI, user, disabled, Set.of("name", "enabled")));
            Principal owner = principal("owner@princeton.edu", "princeton", Role.NODE_OWNER);
            Principal ownerRenamed = new Principal(owner.email(), "Renamed", "princeton", owner.roles(), true);
            allowed(() -> AccessRules.updatePrincipal(PI, owner, ownerRenamed, Set.of("name")), "a kept role is no grant");

            refused("principal-update-site", () -> AccessRules.updatePrincipal(PI, user,
                    principal("user@princeton.edu", "mit", Role.USER), Set.of("site")));
            refused("principal-update-roles", () -> AccessRules.updatePrincipal(PI, user,
                    principal("user@princeton.edu", "princeton", Role.USER, Role.ADMIN), Set.of("roles")));
            refused("principal-update-roles", () -> AccessRules.updatePrincipal(PI, user,
                    principal("user@princeton.edu", "princeton", Role.NODE_OWNER), Set.of("roles")));
            refused("principal-update-roles", () -> AccessRules.updatePrincipal(PI, owner,
                    principal("owner@princeton.edu", "princeton"), Set.of("roles")));
            refused("principal-update-admin", () -> AccessRules.updatePrincipal(PI, admin,
                    new Principal(admin.email(), admin.name(), "princeton", admin.roles(), false), Set.of("enabled")));
            Principal mitUser = principal("user@mit.edu", "mit", Role.USER);
            refused("principal-update", () -> AccessRules.updatePrincipal(PI, mitUser,
                    new Principal(mitUser.email(), "X", "mit", mitUser.roles(), true), Set.of("name")));
        }

        @Test
        void updatedByThemselvesInNameOnly() {
            Principal renamed = new Principal(user.email(), "New name", "princeton", user.roles(), true);
            allowed(() -> AccessRules.updatePrincipal(USER, user, renamed, Set.of("name")));
            allowed(() -> AccessRules.updatePrincipal(USER, user, user, Set.of()));
            refused("principal-update-self", () -> AccessRules.updatePrincipal(USER, user,
                    principal(user.email(), "princeton", Role.USER, Role.PI), Set.of("roles")));
            refused("principal-update-self", () -> AccessRules.updatePrincipal(USER, user,
                    new Principal(user.email(), user.name(), "princeton", user.roles(), false), Set.of("enabled")));
            Principal other = principal("nobody@princeton.edu", "princeton");
            refused("principal-update", () -> AccessRules.updatePrincipal(USER, other,
                    new Principal(other.email(), "X", "princeton", Set.of(), true), Set.of("name")));
            refused("principal-update", () -> AccessRules.updatePrincipal(TECH, user, renamed, Set.of("name")));
            refused("principal-update", () -> AccessRules.updatePrincipal(NODE, user, renamed, Set.of("name")));
        }

        @Test
        void deletedByAdminsAndPisOfTheirSiteButNotThemselves() {
            allowed(() -> AccessRules.deletePrincipal(ADMIN, user));
            allowed(() -> AccessRules.deletePrincipal(ADMIN, admin));
            allowed(() -> AccessRules.deletePrincipal(PI, user));
            refused("principal-delete-self", () -> AccessRules.deletePrincipal(PI, pi));
            refused("principal-delete-admin", () -> AccessRules.deletePrincipal(PI, admin));
            refused("principal-delete", () -> AccessRules.deletePrincipal(OTHER_PI, user));
            refused("principal-delete", () -> AccessRules.deletePrincipal(USER, user));
            refused("principal-delete", () -> AccessRules.deletePrincipal(TECH, user));
        }

        @Test
        void passwordsAndApiKeysAreForThemselvesAndAdmins() {
            allowed(() -> AccessRules.manageCredentials(ADMIN, "user@princeton.edu"));
            allowed(() -> AccessRules.manageCredentials(USER, "user@princeton.edu"));
            allowed(() -> AccessRules.manageCredentials(USER, "USER@Princeton.edu"));
            allowed(() -> AccessRules.manageCredentials(NO_ROLE, "nobody@princeton.edu"));
            refused("credentials-self", () -> AccessRules.manageCredentials(PI, "user@princeton.edu"));
            refused("credentials-self", () -> AccessRules.manageCredentials(TECH, "user@princeton.edu"));
            refused("credentials-self", () -> AccessRules.manageCredentials(NODE, "node1.princeton.edu"));
        }
    }

    @Nested
    class Slices {
        final Slice ours = slice("princeton_codeen", "user@princeton.edu");
        final Slice theirs = slice("mit_chord", "pi@princeton.edu", "user@mit.edu");

        @Test
        void visibleToAdminsAndTechsAllPisTheirSiteAndOwnUsersTheirOwn() {
            for (Slice s : new Slice[] {ours, theirs}) {
                assertTrue(AccessRules.canSeeSlice(ADMIN, s));
                assertTrue(AccessRules.canSeeSlice(TECH, s));
                assertTrue(AccessRules.canSeeSlice(OTHER_TECH, s));
            }
            assertTrue(AccessRules.canSeeSlice(PI, ours), "their site's");
            assertTrue(AccessRules.canSeeSlice(PI, theirs), "one they belong to");
            assertFalse(AccessRules.canSeeSlice(OTHER_PI, ours));
            assertTrue(AccessRules.canSeeSlice(USER, ours), "a member");
            assertFalse(AccessRules.canSeeSlice(USER, theirs));
            assertFalse(AccessRules.canSeeSlice(USER, slice("princeton_other")), "not their site's, for a user");
            assertFalse(AccessRules.canSeeSlice(NODE, ours));
            assertFalse(AccessRules.canSeeSlice(NO_ROLE, ours));
            allowed(() -> AccessRules.readSlice(USER, ours));
            refused("slice-read", () -> AccessRules.readSlice(OTHER_USER, ours));
            refused("slice-read", () -> AccessRules.readSlice(OTHER_PI, ours));
        }

        @Test
        void listedByAdminsTechsPisAndUsers() {
            for (Caller c : new Caller[] {ADMIN, TECH, PI, USER}) {
                allowed(() -> AccessRules.listSlices(c));
            }
            refused("slice-list", () -> AccessRules.listSlices(NO_ROLE));
            refused("slice-list", () -> AccessRules.listSlices(NODE));
        }

        @Test
        void createdByAdminsAndPisForTheirSitesPrefix() {
            allowed(() -> AccessRules.createSlice(ADMIN, theirs));
            allowed(() -> AccessRules.createSlice(PI, ours));
            refused("slice-create-own-site", () -> AccessRules.createSlice(PI, theirs));
            refused("slice-create-own-site", () -> AccessRules.createSlice(USER, ours));
            refused("slice-create-own-site", () -> AccessRules.createSlice(TECH, ours));
        }

        @Test
        void changedDeletedAndGivenMembersByAdminsAndPisOfTheSite() {
            allowed(() -> AccessRules.manageSlice(ADMIN, theirs));
            allowed(() -> AccessRules.manageSlice(PI, ours));
            refused("slice-manage", () -> AccessRules.manageSlice(PI, theirs), "a member PI of another site");
            refused("slice-manage", () -> AccessRules.manageSlice(USER, ours));
            refused("slice-manage", () -> AccessRules.manageSlice(TECH, ours));
        }

        @Test
        void membersRemovedByAdminsPisOfTheSiteAndThemselves() {
            allowed(() -> AccessRules.removeMember(ADMIN, ours, "user@princeton.edu"));
            allowed(() -> AccessRules.removeMember(PI, ours, "user@princeton.edu"));
            allowed(() -> AccessRules.removeMember(USER, ours, "user@princeton.edu"));
            allowed(() -> AccessRules.removeMember(PI, theirs, "pi@princeton.edu"), "leaving another site's slice");
            refused("slice-member-remove", () -> AccessRules.removeMember(USER, ours, "pi@princeton.edu"));
            refused("slice-member-remove", () -> AccessRules.removeMember(OTHER_PI, ours, "user@princeton.edu"));
            refused("slice-member-remove", () -> AccessRules.removeMember(NODE, ours, "user@princeton.edu"));
        }
    }

    @Nested
    class Keys {
        final Principal user = principal("user@princeton.edu", "princeton", Role.USER);

        @Test
        void readByAdminsTheOwnerAndTheOwnersSite() {
            allowed(() -> AccessRules.readKeysOf(ADMIN, user));
            allowed(() -> AccessRules.readKeysOf(USER, user));
            allowed(() -> AccessRules.readKeysOf(NO_ROLE, user));
            allowed(() -> AccessRules.readKeysOf(PI, user));
            refused("key-read", () -> AccessRules.readKeysOf(OTHER_PI, user));
            refused("key-read", () -> AccessRules.readKeysOf(OTHER_USER, user));
            refused("key-read", () -> AccessRules.readKeysOf(NODE, user));
        }

        @Test
        void addedAndDeletedByTheOwnerAdminsAndPisOfTheOwnersSite() {
            allowed(() -> AccessRules.manageKeysOf(ADMIN, user));
            allowed(() -> AccessRules.manageKeysOf(USER, user));
            allowed(() -> AccessRules.manageKeysOf(PI, user));
            refused("key-manage", () -> AccessRules.manageKeysOf(NO_ROLE, user), "same site, not a PI");
            refused("key-manage", () -> AccessRules.manageKeysOf(TECH, user));
            refused("key-manage", () -> AccessRules.manageKeysOf(OTHER_PI, user));
            refused("key-manage", () -> AccessRules.manageKeysOf(NODE, user));
        }
    }

    @Nested
    class Nodes {
        final Node node = new Node("node1.princeton.edu", "princeton", "", BootState.INSTALL);

        @Test
        void managedByAdminsAndPisAndTechsOfTheNodesSite() {
            allowed(() -> AccessRules.manageNode(ADMIN, node));
            allowed(() -> AccessRules.manageNode(PI, node));
            allowed(() -> AccessRules.manageNode(TECH, node));
            refused("node-manage", () -> AccessRules.manageNode(OTHER_PI, node));
            refused("node-manage", () -> AccessRules.manageNode(OTHER_TECH, node));
            refused("node-manage", () -> AccessRules.manageNode(USER, node));
            refused("node-manage", () -> AccessRules.manageNode(NODE, node), "not even the node itself");
        }

        @Test
        void onlyAdminsMoveANodeToAnotherSite() {
            allowed(() -> AccessRules.updateNode(ADMIN, node, Set.of("site")));
            allowed(() -> AccessRules.updateNode(TECH, node, Set.of("bootState", "identityKey")));
            refused("node-update-site", () -> AccessRules.updateNode(TECH, node, Set.of("site", "bootState")));
            refused("node-update-site", () -> AccessRules.updateNode(PI, node, Set.of("site")));
            refused("node-manage", () -> AccessRules.updateNode(OTHER_TECH, node, Set.of("bootState")));
        }
    }
}
