package dev.sliceplane.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The accounts HTTP API on a real node, through the platform's authentication filter: the
 * administrator made on first start sets up two sites, a PI and a user with API keys; the PI
 * creates a slice of their site and adds the user, and is refused one of another site; the user
 * sets a password, signs in with it and sees only their slices; bad input, duplicates, unknown
 * objects and missing tokens get their problems. Bodies are written with ' for ".
 */
class AccountsApiIT {

    static final String A = "/api/v1/accounts";

    @TempDir
    Path tmp;
    NodeProcess node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void sitesPeopleSlicesAndKeysWithTheirRules() throws Exception {
        node = new NodeProcess(tmp.resolve("node")).start();
        Http admin = node.http();
        Http anonymous = node.anonymousHttp();

        // The administrator sets up two sites, a PI and a user, each with an API key.
        Http.Response site = send(admin, "POST", A + "/sites",
                "{'loginBase': 'princeton', 'name': 'Princeton', 'url': 'https://www.princeton.edu/', 'maxSlices': 10}");
        assertEquals(201, site.status(), site.body());
        assertEquals(A + "/sites/princeton", site.raw().headers().firstValue("Location").orElse(""));
        created(send(admin, "POST", A + "/sites", "{'loginBase': 'mit', 'name': 'MIT', 'maxSlices': 10}"));
        created(send(admin, "POST", A + "/principals",
                "{'email': 'pi@princeton.edu', 'name': 'Larry', 'site': 'princeton', 'roles': ['pi']}"));
        created(send(admin, "POST", A + "/principals",
                "{'email': 'user@princeton.edu', 'name': 'Uma', 'site': 'princeton', 'roles': ['user']}"));
        String piKey = created(send(admin, "POST", A + "/principals/pi@princeton.edu/api-keys", null)).path("apiKey").asText();
        String userKey = created(send(admin, "POST", A + "/principals/user@princeton.edu/api-keys", null)).path("apiKey").asText();
        Http pi = anonymous.as(node.tokenFor(piKey));

        // The PI makes a slice of their site and adds the user; another site's slice is refused.
        created(send(pi, "POST", A + "/slices",
                "{'name': 'princeton_codeen', 'description': 'CDN', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 100}"));
        JsonNode withUser = ok(send(pi, "PUT", A + "/slices/princeton_codeen/members/user@princeton.edu", null));
        assertEquals("[\"user@princeton.edu\"]", withUser.path("members").toString());
        JsonNode refused = problem(send(pi, "POST", A + "/slices",
                "{'name': 'mit_mine', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"), 403, "forbidden");
        assertEquals("slice-create-own-site", refused.path("rule").asText(), refused.toString());
        created(send(pi, "POST", A + "/slices", "{'name': 'princeton_other', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"));
        created(send(admin, "POST", A + "/slices", "{'name': 'mit_chord', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"));
        problem(send(pi, "DELETE", A + "/slices/mit_chord", null), 403, "forbidden");

        // The user sets a password and signs in with it: they see their slices only.
        Http userByKey = anonymous.as(node.tokenFor(userKey));
        assertEquals(204, send(userByKey, "PUT", A + "/principals/user@princeton.edu/password",
                "{'password': 'correct horse battery staple'}").status());
        Http.Response signIn = send(anonymous, "POST", A + "/tokens",
                "{'email': 'user@princeton.edu', 'password': 'correct horse battery staple'}");
        assertEquals(201, signIn.status(), signIn.body());
        Http user = anonymous.as(signIn.json().path("token").asText());
        JsonNode me = ok(user.get(A + "/whoami"));
        assertEquals("user@princeton.edu", me.path("id").asText());
        assertEquals("Uma", me.path("principal").path("name").asText());
        assertEquals(List.of("princeton_codeen"), names(ok(user.get(A + "/slices")), "name"));
        assertEquals(List.of("princeton_codeen", "princeton_other"), names(ok(pi.get(A + "/slices")), "name"));
        assertEquals(List.of("mit_chord", "princeton_codeen", "princeton_other"), names(ok(admin.get(A + "/slices")), "name"));
        assertEquals("slice-read", problem(user.get(A + "/slices/princeton_other"), 403, "forbidden").path("rule").asText());
        problem(send(anonymous, "POST", A + "/tokens", "{'email': 'user@princeton.edu', 'password': 'not the password'}"),
                401, "unauthorized");
        // A member may leave; the PI may not change another site's people.
        assertEquals("[]", ok(send(user, "DELETE", A + "/slices/princeton_codeen/members/user@princeton.edu", null))
                .path("members").toString());
        problem(send(pi, "PATCH", A + "/principals/user@princeton.edu", "{'roles': ['admin']}"), 403, "forbidden");

        // Keys: the user adds theirs; the Location (URL-safe fingerprint) and the plain fingerprint both find it.
        Http.Response key = send(user, "POST", A + "/keys",
                "{'owner': 'user@princeton.edu', 'key': 'ssh-ed25519 " + sshBlob(3) + " uma@laptop'}");
        JsonNode added = created(key);
        String location = key.raw().headers().firstValue("Location").orElseThrow();
        assertEquals(added.path("fingerprint").asText(), ok(pi.get(location)).path("fingerprint").asText());
        assertEquals(added.path("fingerprint").asText(),
                ok(pi.get(A + "/keys/" + added.path("fingerprint").asText())).path("fingerprint").asText());

        // Nodes: the PI registers one of their site's.
        JsonNode nodeMade = created(send(pi, "POST", A + "/nodes", "{'hostname': 'planetlab1.princeton.edu', 'site': 'princeton'}"));
        assertEquals("INSTALL", nodeMade.path("bootState").asText());
        assertEquals("BOOT", ok(send(pi, "PATCH", A + "/nodes/planetlab1.princeton.edu", "{'bootState': 'BOOT'}"))
                .path("bootState").asText());

        // Bad input names the field; duplicates conflict; unknown objects are 404; no token is 401.
        assertEquals("loginBase", problem(send(admin, "POST", A + "/sites", "{'loginBase': 'Bad_Base', 'name': 'X', 'maxSlices': 1}"),
                400, "invalid").path("field").asText());
        assertEquals("expires", problem(send(pi, "POST", A + "/slices",
                "{'name': 'princeton_late', 'expires': 'yesterday', 'maxSlivers': 1}"), 400, "invalid").path("field").asText());
        assertEquals("colour", problem(send(admin, "PATCH", A + "/sites/princeton", "{'colour': 'orange'}"), 400, "bad-request")
                .path("field").asText());
        problem(send(admin, "POST", A + "/sites", "{'loginBase': 'princeton', 'name': 'Again', 'maxSlices': 1}"), 409, "already-exists");
        problem(send(admin, "POST", A + "/principals", "{'email': 'USER@princeton.edu', 'name': 'Again', 'site': 'princeton'}"),
                409, "already-exists");
        problem(admin.get(A + "/sites/nowhere"), 404, "not-found");
        problem(admin.get(A + "/principals/ghost@nowhere.org"), 404, "not-found");
        problem(admin.get(A + "/slices/princeton_none"), 404, "not-found");
        problem(anonymous.get(A + "/sites"), 401, "unauthorized");
        problem(send(anonymous, "POST", A + "/slices", "{'name': 'princeton_x', 'expires': '2099-01-01T00:00:00Z', 'maxSlivers': 1}"),
                401, "unauthorized");
        problem(admin.delete(A + "/sites/princeton"), 409, "referenced");

        String log = node.log();
        assertFalse(log.contains("correct horse battery staple"), "a password is never logged");
        assertFalse(log.contains(userKey.substring(userKey.indexOf('.') + 1)), "an API key is never logged");
    }

    /** A request with a JSON body ({@code '} for {@code "}), or with none when {@code json} is null. */
    static Http.Response send(Http http, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = http.request(path);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.replace('\'', '"')));
        }
        return http.send(request.build());
    }

    static JsonNode ok(Http.Response response) {
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    static JsonNode created(Http.Response response) {
        assertEquals(201, response.status(), response.body());
        assertTrue(response.raw().headers().firstValue("Location").orElse("").startsWith(A + "/"), response.raw().headers().toString());
        return response.json();
    }

    static JsonNode problem(Http.Response response, int status, String slug) {
        assertEquals(status, response.status(), response.body());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonNode body = response.json();
        assertEquals("https://sliceplane.dev/problems/" + slug, body.path("type").asText(), response.body());
        return body;
    }

    static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.path(field).asText()));
        return names;
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
