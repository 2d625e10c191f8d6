package dev.sliceplane.accounts.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;

/**
 * The accounts routes end to end inside the bundle: servlets, access rules, the registry on H2
 * and the credentials, called with the caller the authentication filter would have set.
 * Bodies are written with ' for " to stay readable.
 */
class AccountsRoutesTest {

    static final String A = AccountsServlet.BASE;
    static final Caller ADMIN = Routes.principal("root@authority.org", "authority", Roles.ADMIN);
    static final Caller PI = Routes.principal("pi@princeton.edu", "princeton", Roles.PI);
    static final Caller OTHER_PI = Routes.principal("pi@mit.edu", "mit", Roles.PI);
    static final Caller USER = Routes.principal("user@princeton.edu", "princeton", Roles.USER);
    static final Caller TECH = Routes.principal("tech@princeton.edu", "princeton", Roles.TECH);
    static final Caller NODE = Caller.node("node1.princeton.edu", "princeton", "jti-node", Routes.LATER);

    @TempDir
    Path temp;
    Routes routes;

    @BeforeEach
    void start() throws Exception {
        routes = new Routes(temp.resolve("keys"));
        created(post(ADMIN, "/sites", "{'loginBase': 'authority', 'name': 'The authority', 'maxSlices': 0}"));
        created(post(ADMIN, "/sites", "{'loginBase': 'princeton', 'name': 'Princeton', 'url': 'https://princeton.edu/', 'maxSlices': 3}"));
        created(post(ADMIN, "/sites", "{'loginBase': 'mit', 'name': 'MIT', 'maxSlices': 3}"));
        created(post(ADMIN, "/principals", "{'email': 'root@authority.org', 'name': 'Root', 'site': 'authority', 'roles': ['admin']}"));
        created(post(ADMIN, "/principals", "{'email': 'pi@princeton.edu', 'name': 'Larry', 'site': 'princeton', 'roles': ['pi']}"));
        created(post(ADMIN, "/principals", "{'email': 'pi@mit.edu', 'name': 'Frans', 'site': 'mit', 'roles': ['pi']}"));
        created(post(ADMIN, "/principals", "{'email': 'tech@princeton.edu', 'name': 'Tess', 'site': 'princeton', 'roles': ['tech']}"));
        created(post(PI, "/principals", "{'email': 'user@princeton.edu', 'name': 'Uma', 'site': 'princeton', 'roles': ['user']}"));
        created(post(OTHER_PI, "/principals", "{'email': 'user@mit.edu', 'name': 'Max', 'site': 'mit', 'roles': ['user']}"));
    }

    @AfterEach
    void stop() {
        routes.close();
    }

    // whoami

    @Test
    void whoamiSaysWhoTheTokenNamesWithTheirRecord() throws Exception {
        JsonNode me = ok(get(USER, "/whoami"));
        assertEquals("PRINCIPAL", me.path("kind").asText());
        assertEquals("user@princeton.edu", me.path("id").asText());
        assertEquals("princeton", me.path("site").asText());
        assertEquals("[\"user\"]", me.path("roles").toString());
        assertEquals(Routes.LATER.toString(), me.path("expiresAt").asText());
        assertEquals("Uma", me.path("principal").path("name").asText());
        JsonNode node = ok(get(NODE, "/whoami"));
        assertEquals("NODE", node.path("kind").asText());
        assertFalse(node.has("principal"));
        problem(get(null, "/whoami"), 401, "unauthorized");
    }

    // sites

    @Test
    void sitesAreCreatedByAdminsAndReadByAnyone() throws Exception {
        FakeHttp.Answer made = post(ADMIN, "/sites", "{'loginBase': 'stanford', 'name': 'Stanford', 'maxSlices': 1}");
        assertEquals(201, made.status, made.toString());
        assertEquals(A + "/sites/stanford", made.header("Location"));
        assertEquals("", made.json().path("url").asText());
        assertEquals(List.of("authority", "mit", "princeton", "stanford"), values(ok(get(NODE, "/sites")), "loginBase"));
        assertEquals("Stanford", ok(get(USER, "/sites/stanford")).path("name").asText());

        // No @Allow on POST: the platform lets only admins in, before the rule is asked.
        assertEquals("[\"admin\"]", problem(post(PI, "/sites", "{'loginBase': 'x1', 'name': 'X', 'maxSlices': 1}"),
                403, "forbidden").path("requiredRoles").toString());
        assertEquals("loginBase", problem(post(ADMIN, "/sites", "{'loginBase': 'Bad_Base', 'name': 'X', 'maxSlices': 1}"),
                400, "invalid").path("field").asText());
        assertEquals("maxSlices", problem(post(ADMIN, "/sites", "{'loginBase': 'x1', 'name': 'X'}"), 400, "invalid")
                .path("field").asText());
        assertEquals("colour", problem(post(ADMIN, "/sites", "{'loginBase': 'x1', 'name': 'X', 'maxSlices': 1, 'colour': 1}"),
                400, "bad-request").path("field").asText());
        problem(post(ADMIN, "/sites", "{'loginBase': 'mit', 'name': 'MIT again', 'maxSlices': 1}"), 409, "already-exists");
        problem(get(USER, "/sites/nowhere"), 404, "not-found");
        problem(get(USER, "/sites/mit/extra"), 404, "not-found");
    }

    @Test
    void aPiChangesTheNameAndUrlOfTheirSiteOnly() throws Exception {
        JsonNode changed = ok(patch(PI, "/sites/princeton", "{'name': 'Princeton University', 'url': null}"));
        assertEquals("Princeton University", changed.path("name").asText());
        assertEquals("", changed.path("url").asText());
        assertEquals(3, changed.path("maxSlices").asInt());
        assertEquals("site-update-pi-fields", problem(patch(PI, "/sites/princeton", "{'maxSlices': 100}"), 403, "forbidden")
                .path("rule").asText());
        assertEquals("site-update", problem(patch(PI, "/sites/mit", "{'name': 'Mine'}"), 403, "forbidden").path("rule").asText());
        assertEquals(100, ok(patch(ADMIN, "/sites/princeton", "{'maxSlices': 100}")).path("maxSlices").asInt());
        assertEquals("loginBase", problem(patch(ADMIN, "/sites/princeton", "{'loginBase': 'other'}"), 400, "bad-request")
                .path("field").asText());
    }

    @Test
    void sitesAreDeletedByAdminsOnceEmpty() throws Exception {
        problem(routes.delete(PI, A + "/sites/princeton"), 403, "forbidden");
        problem(routes.delete(ADMIN, A + "/sites/princeton"), 409, "referenced");
        created(post(ADMIN, "/sites", "{'loginBase': 'empty', 'name': 'Empty', 'maxSlices': 0}"));
        assertEquals(204, routes.delete(ADMIN, A + "/sites/empty").status);
        problem(get(ADMIN, "/sites/empty"), 404, "not-found");
    }

    // principals

    @Test
    void principalsAreListedBySiteForNonAdmins() throws Exception {
        assertEquals(List.of("pi@mit.edu", "pi@princeton.edu", "root@authority.org", "tech@princeton.edu",
                "user@mit.edu", "user@princeton.edu"), values(ok(get(ADMIN, "/principals")), "email"));
        assertEquals(List.of("pi@princeton.edu", "tech@princeton.edu", "user@princeton.edu"),
                values(ok(get(USER, "/principals")), "email"));
        assertEquals(List.of("pi@princeton.edu"), values(ok(get(USER, "/principals?role=pi")), "email"));
        assertEquals(List.of("pi@mit.edu"), values(ok(get(ADMIN, "/principals?site=mit&role=pi")), "email"));
        assertEquals("principal-list-own-site", problem(get(USER, "/principals?site=mit"), 403, "forbidden").path("rule").asText());
        assertEquals("role", problem(get(USER, "/principals?role=boss"), 400, "invalid").path("field").asText());
        assertEquals("sort", problem(get(USER, "/principals?sort=name"), 400, "bad-request").path("field").asText());
        JsonNode pi = ok(get(USER, "/principals/PI@princeton.edu"));
        assertEquals("[\"pi\"]", pi.path("roles").toString());
        assertTrue(pi.path("enabled").asBoolean(), "enabled unless said otherwise");
        assertEquals("principal-read", problem(get(USER, "/principals/pi@mit.edu"), 403, "forbidden").path("rule").asText());
        problem(get(ADMIN, "/principals/ghost@nowhere.org"), 404, "not-found");
    }

    @Test
    void aPiAddsPrincipalsToTheirSiteWithLimitedRoles() throws Exception {
        FakeHttp.Answer made = post(PI, "/principals", "{'email': 'New+Tag@Princeton.edu', 'name': 'New', 'site': 'princeton'}");
        assertEquals(201, made.status, made.toString());
        assertEquals(A + "/principals/new+tag@princeton.edu", made.header("Location"));
        assertEquals("[]", made.json().path("roles").toString());
        assertEquals("principal-create-own-site", problem(post(PI, "/principals",
                "{'email': 'x@mit.edu', 'name': 'X', 'site': 'mit'}"), 403, "forbidden").path("rule").asText());
        assertEquals("principal-create-roles", problem(post(PI, "/principals",
                "{'email': 'x@princeton.edu', 'name': 'X', 'site': 'princeton', 'roles': ['admin']}"), 403, "forbidden")
                .path("rule").asText());
        assertEquals("principal-create", problem(post(USER, "/principals",
                "{'email': 'x@princeton.edu', 'name': 'X', 'site': 'princeton'}"), 403, "forbidden").path("rule").asText());
        assertEquals("email", problem(post(PI, "/principals", "{'email': 'not-an-address', 'name': 'X', 'site': 'princeton'}"),
                400, "invalid").path("field").asText());
        assertEquals("roles", problem(post(PI, "/principals",
                "{'email': 'x@princeton.edu', 'name': 'X', 'site': 'princeton', 'roles': ['boss']}"), 400, "invalid")
                .path("field").asText());
        assertEquals("site", problem(post(ADMIN, "/principals", "{'email': 'x@nowhere.org', 'name': 'X', 'site': 'nowhere'}"),
                400, "invalid").path("field").asText());
        problem(post(PI, "/principals", "{'email': 'user@princeton.edu', 'name': 'Again', 'site': 'princeton'}"), 409,
                "already-exists");
    }

    @Test
    void principalsChangeTheirNameAndPisTheirSitesPeople() throws Exception {
        assertEquals("Uma T.", ok(patch(USER, "/principals/user@princeton.edu", "{'name': 'Uma T.'}")).path("name").asText());
        assertEquals("principal-update-self", problem(patch(USER, "/principals/user@princeton.edu", "{'roles': ['pi']}"),
                403, "forbidden").path("rule").asText());
        JsonNode promoted = ok(patch(PI, "/principals/user@princeton.edu", "{'roles': ['user', 'tech'], 'enabled': false}"));
        assertEquals("[\"user\",\"tech\"]", promoted.path("roles").toString());
        assertFalse(promoted.path("enabled").asBoolean());
        assertEquals("principal-update-roles", problem(patch(PI, "/principals/user@princeton.edu", "{'roles': ['admin']}"),
                403, "forbidden").path("rule").asText());
        assertEquals("principal-update-site", problem(patch(PI, "/principals/user@princeton.edu", "{'site': 'mit'}"),
                403, "forbidden").path("rule").asText());
        assertEquals("principal-read", problem(patch(OTHER_PI, "/principals/user@princeton.edu", "{'name': 'X'}"),
                403, "forbidden").path("rule").asText());
        assertEquals("mit", ok(patch(ADMIN, "/principals/user@princeton.edu", "{'site': 'mit'}")).path("site").asText());
        assertEquals("email", problem(patch(ADMIN, "/principals/user@princeton.edu", "{'email': 'x@y.org'}"), 400,
                "bad-request").path("field").asText());
    }

    @Test
    void principalsAreDeletedByAdminsAndTheirSitesPis() throws Exception {
        assertEquals("principal-delete-self", problem(routes.delete(PI, A + "/principals/pi@princeton.edu"), 403, "forbidden")
                .path("rule").asText());
        assertEquals("principal-delete", problem(routes.delete(USER, A + "/principals/tech@princeton.edu"), 403, "forbidden")
                .path("rule").asText());
        assertEquals(204, routes.delete(PI, A + "/principals/user@princeton.edu").status);
        problem(get(ADMIN, "/principals/user@princeton.edu"), 404, "not-found");
    }

    // passwords and tokens

    @Test
    void aPrincipalSetsTheirPasswordAndExchangesItForAToken() throws Exception {
        assertEquals(204, put(USER, "/principals/user@princeton.edu/password", "{'password': 'correct horse battery'}").status);
        FakeHttp.Answer token = routes.call(null, "POST", A + "/tokens",
                json("{'email': 'User@Princeton.edu', 'password': 'correct horse battery'}"));
        assertEquals(201, token.status, token.toString());
        assertEquals("no-store", token.header("Cache-Control"));
        assertEquals("user@princeton.edu", routes.authority.verify(token.json().path("token").asText()).subject());

        JsonNode wrong = problem(routes.call(null, "POST", A + "/tokens",
                json("{'email': 'user@princeton.edu', 'password': 'correct horse batterY'}")), 401, "unauthorized");
        JsonNode unknown = problem(routes.call(null, "POST", A + "/tokens",
                json("{'email': 'ghost@princeton.edu', 'password': 'correct horse battery'}")), 401, "unauthorized");
        assertEquals(wrong, unknown, "a wrong password and an unknown address answer alike");
        assertEquals("password", problem(routes.call(null, "POST", A + "/tokens", json("{'email': 'user@princeton.edu'}")),
                400, "bad-request").path("field").asText());
        problem(routes.call(null, "POST", A + "/tokens", json("{'apiKey': 'sp_x', 'email': 'user@princeton.edu', 'password': 'p'}")),
                400, "bad-request");

        assertEquals(204, put(ADMIN, "/principals/user@princeton.edu/password", "{'password': 'set by the admin'}").status);
        assertEquals("credentials-self", problem(put(PI, "/principals/user@princeton.edu/password", "{'password': 'set by the PI!'}"),
                403, "forbidden").path("rule").asText());
        JsonNode tooShort = problem(put(USER, "/principals/user@princeton.edu/password", "{'password': 'short pw'}"),
                400, "invalid");
        assertEquals("password", tooShort.path("field").asText());
        assertFalse(tooShort.toString().contains("short pw"), "the password is never echoed");
        assertEquals("password", problem(put(USER, "/principals/user@princeton.edu/password", "{}"), 400, "invalid")
                .path("field").asText());
        problem(put(ADMIN, "/principals/ghost@princeton.edu/password", "{'password': 'correct horse battery'}"), 404, "not-found");
    }

    @Test
    void repeatedWrongPasswordsAreHeldOffWithoutCheckingThem() throws Exception {
        assertEquals(204, put(USER, "/principals/user@princeton.edu/password", "{'password': 'correct horse battery'}").status);
        for (int i = 0; i < 5; i++) {
            problem(routes.call(null, "POST", A + "/tokens",
                    json("{'email': 'user@princeton.edu', 'password': 'wrong guess " + i + "'}")), 401, "unauthorized");
        }
        FakeHttp.Answer held = routes.call(null, "POST", A + "/tokens",
                json("{'email': 'user@princeton.edu', 'password': 'correct horse battery'}"));
        JsonNode problem = problem(held, 429, "too-many-requests");
        assertEquals("1", held.header("Retry-After"));
        assertEquals(1, problem.path("retryAfterSeconds").asInt());
        problem(routes.call(null, "POST", A + "/tokens", json("{'email': 'pi@princeton.edu', 'password': 'wrong for pi'}")),
                401, "unauthorized"); // another account is still heard
        Thread.sleep(1100);
        assertEquals(201, routes.call(null, "POST", A + "/tokens",
                json("{'email': 'user@princeton.edu', 'password': 'correct horse battery'}")).status, "heard after the wait");
    }

    @Test
    void apiKeysAreMadeListedAndDeletedByTheirOwner() throws Exception {
        FakeHttp.Answer made = routes.call(USER, "POST", A + "/principals/user@princeton.edu/api-keys", null);
        assertEquals(201, made.status, made.toString());
        assertEquals("no-store", made.header("Cache-Control"));
        String id = made.json().path("id").asText();
        String secret = made.json().path("apiKey").asText();
        assertEquals(A + "/principals/user@princeton.edu/api-keys/" + id, made.header("Location"));
        assertEquals(201, routes.call(null, "POST", A + "/tokens", json("{'apiKey': '" + secret + "'}")).status);

        JsonNode listed = ok(get(USER, "/principals/user@princeton.edu/api-keys"));
        assertEquals(1, listed.size());
        assertEquals(id, listed.get(0).path("id").asText());
        assertFalse(listed.toString().contains(secret.substring(secret.indexOf('.') + 1)), "no secret in the list");
        assertEquals("credentials-self", problem(get(PI, "/principals/user@princeton.edu/api-keys"), 403, "forbidden")
                .path("rule").asText());
        problem(routes.call(ADMIN, "POST", A + "/principals/ghost@princeton.edu/api-keys", null), 404, "not-found");
        problem(routes.delete(TECH, A + "/principals/tech@princeton.edu/api-keys/" + id), 404, "not-found");
        assertEquals(204, routes.delete(USER, A + "/principals/user@princeton.edu/api-keys/" + id).status);
        problem(routes.call(null, "POST", A + "/tokens", json("{'apiKey': '" + secret + "'}")), 401, "unauthorized");
    }

    // slices

    @Test
    void pisCreateSlicesOfTheirSiteAndUsersSeeOnlyTheirOwn() throws Exception {
        FakeHttp.Answer made = post(PI, "/slices", "{'name': 'princeton_codeen', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 10}");
        assertEquals(201, made.status, made.toString());
        assertEquals(A + "/slices/princeton_codeen", made.header("Location"));
        assertEquals("[]", made.json().path("members").toString());
        created(post(PI, "/slices", "{'name': 'princeton_other', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 10}"));
        created(post(OTHER_PI, "/slices", "{'name': 'mit_chord', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 10,"
                + " 'members': ['pi@princeton.edu']}"));
        assertEquals("slice-create-own-site", problem(post(PI, "/slices",
                "{'name': 'mit_mine', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"), 403, "forbidden").path("rule").asText());

        assertEquals(List.of("user@princeton.edu"),
                texts(ok(put(PI, "/slices/princeton_codeen/members/User@Princeton.edu", null)).path("members")));
        assertEquals("slice-manage", problem(put(OTHER_PI, "/slices/princeton_codeen/members/user@mit.edu", null), 403,
                "forbidden").path("rule").asText());
        assertEquals(List.of("princeton_codeen"), values(ok(get(USER, "/slices")), "name"));
        assertEquals(List.of("mit_chord", "princeton_codeen", "princeton_other"), values(ok(get(PI, "/slices")), "name"));
        assertEquals(List.of("mit_chord", "princeton_codeen", "princeton_other"), values(ok(get(TECH, "/slices")), "name"));
        assertEquals(List.of("mit_chord"), values(ok(get(PI, "/slices?site=mit")), "name"));
        assertEquals(List.of("princeton_codeen"), values(ok(get(PI, "/slices?member=user@princeton.edu")), "name"));
        assertEquals(List.of("mit_chord"), values(ok(get(OTHER_PI, "/slices")), "name"));
        assertEquals("slice-read", problem(get(USER, "/slices/princeton_other"), 403, "forbidden").path("rule").asText());
        assertEquals("slice-manage", problem(patch(PI, "/slices/mit_chord", "{'maxSlivers': 5}"), 403, "forbidden")
                .path("rule").asText());
        problem(get(NODE, "/slices"), 403, "forbidden");
        problem(get(USER, "/slices?owner=x"), 400, "bad-request");
        problem(get(ADMIN, "/slices/princeton_none"), 404, "not-found");
    }

    @Test
    void slicesAreChangedByTheirSitesPisAndLeftByMembers() throws Exception {
        created(post(PI, "/slices", "{'name': 'princeton_codeen', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 10,"
                + " 'members': ['user@princeton.edu', 'tech@princeton.edu']}"));
        JsonNode changed = ok(patch(PI, "/slices/princeton_codeen", "{'description': 'CDN', 'expires': '2099-06-01T00:00:00Z'}"));
        assertEquals("CDN", changed.path("description").asText());
        assertEquals("2099-06-01T00:00:00Z", changed.path("expires").asText());
        assertEquals("expires", problem(patch(PI, "/slices/princeton_codeen", "{'expires': '2001-01-01T00:00:00Z'}"), 400,
                "invalid").path("field").asText());
        assertEquals("members", problem(patch(PI, "/slices/princeton_codeen", "{'members': ['ghost@nowhere.org']}"), 400,
                "invalid").path("field").asText());
        assertEquals("slice-member-remove", problem(routes.delete(USER, A + "/slices/princeton_codeen/members/tech@princeton.edu"),
                403, "forbidden").path("rule").asText());
        assertEquals(List.of("tech@princeton.edu"), texts(ok(routes.delete(USER,
                A + "/slices/princeton_codeen/members/user@princeton.edu")).path("members")));
        assertEquals("slice-manage", problem(routes.delete(USER, A + "/slices/princeton_codeen"), 403, "forbidden")
                .path("rule").asText());
        assertEquals(204, routes.delete(PI, A + "/slices/princeton_codeen").status);
    }

    @Test
    void duplicateSlicesAndASitesSliceCapAreConflicts() throws Exception {
        created(post(PI, "/slices", "{'name': 'princeton_s0', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"));
        problem(post(PI, "/slices", "{'name': 'princeton_s0', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"), 409,
                "already-exists");
        for (int i = 1; i < 3; i++) {
            created(post(PI, "/slices", "{'name': 'princeton_s" + i + "', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"));
        }
        problem(post(PI, "/slices", "{'name': 'princeton_s3', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"), 409,
                "limit-reached");
    }

    // keys

    @Test
    void keysAreAddedByTheirOwnerAndReadWithinTheSite() throws Exception {
        String blob = sshBlob(7);
        FakeHttp.Answer made = post(USER, "/keys", "{'owner': 'user@princeton.edu', 'key': 'ssh-ed25519 " + blob + " uma@laptop'}");
        assertEquals(201, made.status, made.toString());
        String fingerprint = made.json().path("fingerprint").asText();
        String location = made.header("Location");
        assertEquals(A + "/keys/" + fingerprint.replace('+', '-').replace('/', '_'), location);
        assertEquals(fingerprint, ok(routes.get(PI, location)).path("fingerprint").asText());
        assertEquals(fingerprint, ok(get(USER, "/keys/" + fingerprint)).path("fingerprint").asText(), "standard base64 too");
        assertEquals("key-read", problem(routes.get(OTHER_PI, location), 403, "forbidden").path("rule").asText());
        assertEquals(1, ok(get(USER, "/keys")).size());
        assertEquals(0, ok(get(PI, "/keys")).size(), "a PI's own keys");
        assertEquals(1, ok(get(PI, "/keys?owner=user@princeton.edu")).size());
        assertEquals("key-read", problem(get(OTHER_PI, "/keys?owner=user@princeton.edu"), 403, "forbidden").path("rule").asText());
        assertEquals("key-manage", problem(post(TECH, "/keys", "{'owner': 'user@princeton.edu', 'key': 'ssh-ed25519 "
                + sshBlob(8) + "'}"), 403, "forbidden").path("rule").asText());
        problem(post(USER, "/keys", "{'owner': 'user@princeton.edu', 'key': 'ssh-ed25519 " + blob + "'}"), 409, "already-exists");
        assertEquals("key", problem(post(USER, "/keys", "{'owner': 'user@princeton.edu', 'key': 'ssh-ed25519 !!!'}"), 400,
                "invalid").path("field").asText());
        assertEquals("key-manage", problem(routes.delete(TECH, location), 403, "forbidden").path("rule").asText());
        assertEquals(204, routes.delete(PI, location).status);
        problem(routes.get(ADMIN, location), 404, "not-found");
    }

    // nodes

    @Test
    void nodesAreManagedByTheirSitesTechsAndPis() throws Exception {
        FakeHttp.Answer made = post(TECH, "/nodes", "{'hostname': 'Node1.Princeton.edu', 'site': 'princeton'}");
        assertEquals(201, made.status, made.toString());
        assertEquals(A + "/nodes/node1.princeton.edu", made.header("Location"));
        assertEquals("INSTALL", made.json().path("bootState").asText());
        assertEquals("", made.json().path("identityKey").asText());
        assertEquals("node-manage", problem(post(TECH, "/nodes", "{'hostname': 'n.mit.edu', 'site': 'mit'}"), 403, "forbidden")
                .path("rule").asText());
        assertEquals("BOOT", ok(patch(PI, "/nodes/node1.princeton.edu", "{'bootState': 'boot'}")).path("bootState").asText());
        assertEquals("node-update-site", problem(patch(TECH, "/nodes/node1.princeton.edu", "{'site': 'mit'}"), 403, "forbidden")
                .path("rule").asText());
        assertEquals("bootState", problem(patch(TECH, "/nodes/node1.princeton.edu", "{'bootState': 'sleep'}"), 400, "invalid")
                .path("field").asText());
        assertEquals(List.of("node1.princeton.edu"), values(ok(get(USER, "/nodes?bootState=BOOT")), "hostname"));
        assertEquals(List.of(), values(ok(get(USER, "/nodes?site=mit")), "hostname"));
        assertEquals("bootState", problem(get(USER, "/nodes?bootState=sleep"), 400, "invalid").path("field").asText());
        problem(post(TECH, "/nodes", "{'hostname': 'node1.princeton.edu', 'site': 'princeton'}"), 409, "already-exists");
        assertEquals("node-manage", problem(routes.delete(OTHER_PI, A + "/nodes/node1.princeton.edu"), 403, "forbidden")
                .path("rule").asText());
        assertEquals(204, routes.delete(TECH, A + "/nodes/node1.princeton.edu").status);
        problem(get(USER, "/nodes/node1.princeton.edu"), 404, "not-found");
    }

    @Test
    void aNodesSubResourcesAnswerUnderTheSamePattern() throws Exception {
        created(post(TECH, "/nodes", "{'hostname': 'node1.princeton.edu', 'site': 'princeton'}"));
        FakeHttp.Answer token = routes.call(TECH, "POST", A + "/nodes/node1.princeton.edu/bootstrap-tokens", null);
        assertEquals(201, token.status, token.toString());
        assertFalse(token.json().path("bootstrapToken").asText().isEmpty());
        problem(routes.call(OTHER_PI, "POST", A + "/nodes/node1.princeton.edu/bootstrap-tokens", null), 403, "forbidden");
        assertEquals(200, get(ADMIN, "/nodes/node1.princeton.edu/slices").status);
        assertEquals(200, get(NODE, "/nodes/node1.princeton.edu/slices").status, "the node itself");
        problem(get(PI, "/nodes/node1.princeton.edu/slices"), 403, "forbidden");
        problem(get(ADMIN, "/nodes/node1.princeton.edu/other"), 404, "not-found");
        problem(routes.call(ADMIN, "POST", A + "/nodes/node1.princeton.edu/other", null), 404, "not-found");
    }

    // what every route shares

    @Test
    void badRequestsAreProblemsNotStackTraces() throws Exception {
        problem(routes.call(ADMIN, "POST", A + "/sites", "{\"loginBase\": "), 400, "malformed-json");
        problem(routes.call(ADMIN, "POST", A + "/sites", "[1, 2]"), 400, "bad-request");
        problem(routes.send(ADMIN, "POST", A + "/sites", "text/plain", "{}"), 415, "unsupported-media-type");
        problem(routes.call(ADMIN, "PUT", A + "/sites/princeton", "{}"), 405, "method-not-allowed");
        problem(get(ADMIN, "/principals/pi@princeton.edu/unknown"), 404, "not-found");
        problem(get(ADMIN, "/slices//x"), 404, "not-found");
        assertEquals("maxSlices", problem(post(ADMIN, "/sites", "{'loginBase': 'x1', 'name': 'X', 'maxSlices': 'many'}"), 400,
                "invalid").path("field").asText());
        for (String path : new String[] {"/sites", "/principals", "/slices", "/keys", "/nodes"}) {
            problem(get(null, path), 401, "unauthorized");
        }
    }

    @Test
    void aDatabaseThatIsGoneIsServiceUnavailable() throws Exception {
        routes.database.close();
        JsonNode down = problem(get(ADMIN, "/sites"), 503, "unavailable");
        assertFalse(down.path("detail").asText().contains("jdbc"), down.toString());
        problem(routes.call(null, "POST", A + "/tokens", json("{'email': 'user@princeton.edu', 'password': 'correct horse battery'}")),
                503, "unavailable");
    }

    // helpers

    FakeHttp.Answer get(Caller caller, String path) throws Exception {
        return routes.get(caller, A + path);
    }

    FakeHttp.Answer post(Caller caller, String path, String body) throws Exception {
        return routes.call(caller, "POST", A + path, json(body));
    }

    FakeHttp.Answer put(Caller caller, String path, String body) throws Exception {
        return routes.call(caller, "PUT", A + path, json(body));
    }

    FakeHttp.Answer patch(Caller caller, String path, String body) throws Exception {
        return routes.call(caller, "PATCH", A + path, json(body));
    }

    static String json(String singleQuoted) {
        return singleQuoted == null ? null : singleQuoted.replace('\'', '"');
    }

    static JsonNode ok(FakeHttp.Answer answer) {
        assertEquals(200, answer.status, answer.toString());
        assertEquals("application/json", answer.header("Content-Type"));
        return answer.json();
    }

    static JsonNode created(FakeHttp.Answer answer) {
        assertEquals(201, answer.status, answer.toString());
        assertTrue(answer.header("Location").startsWith(A + "/"), answer.toString());
        return answer.json();
    }

    static JsonNode problem(FakeHttp.Answer answer, int status, String slug) {
        assertEquals(status, answer.status, answer.toString());
        assertEquals("application/problem+json", answer.header("Content-Type"), answer.toString());
        JsonNode body = answer.json();
        assertEquals("https://sliceplane.dev/problems/" + slug, body.path("type").asText(), answer.toString());
        assertNull(body.get("trace"));
        assertFalse(answer.body().contains("Exception"), answer.toString());
        return body;
    }

    static List<String> values(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(field == null ? item.asText() : item.path(field).asText()));
        return values;
    }

    static List<String> texts(JsonNode array) {
        return values(array, null);
    }

    /** An ed25519 SSH key blob with 32 key bytes from a seed. */
    static String sshBlob(int seed) {
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer blob = ByteBuffer.allocate(4 + type.length + 4 + 32);
        blob.putInt(type.length).put(type).putInt(32);
        for (int i = 0; i < 32; i++) {
            blob.put((byte) (seed * 31 + i));
        }
        return Base64.getEncoder().encodeToString(blob.array());
    }
}
