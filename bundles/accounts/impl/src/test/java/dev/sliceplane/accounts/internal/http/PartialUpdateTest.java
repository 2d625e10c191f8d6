package dev.sliceplane.accounts.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;

/** PATCH merging and the JSON conversion underneath it. */
class PartialUpdateTest {

    static final Site SITE = new Site("princeton", "Princeton", "https://princeton.edu/", 10);
    static final Principal ALICE = new Principal("alice@princeton.edu", "Alice", "princeton", Set.of(Role.USER), true);
    static final Instant EXPIRES = Instant.parse("2099-01-01T00:00:00Z");

    static JsonNode json(String text) throws Exception {
        return AccountsJson.MAPPER.readTree(text);
    }

    static Problem problem(Runnable call) {
        return assertThrows(ProblemException.class, call::run).problem();
    }

    @Test
    void onlyTheGivenFieldsChange() throws Exception {
        PartialUpdate<Site> update = PartialUpdate.apply(SITE, json("{\"name\": \"Princeton University\"}"),
                SitesServlet.PATCHABLE, Site.class);
        assertEquals(new Site("princeton", "Princeton University", "https://princeton.edu/", 10), update.value());
        assertEquals(Set.of("name"), update.changed());
    }

    @Test
    void anEmptyPatchChangesNothing() throws Exception {
        PartialUpdate<Site> update = PartialUpdate.apply(SITE, json("{}"), SitesServlet.PATCHABLE, Site.class);
        assertEquals(SITE, update.value());
        assertEquals(Set.of(), update.changed());
    }

    @Test
    void fieldsSentWithTheirCurrentValueAreNotChanges() throws Exception {
        PartialUpdate<Principal> update = PartialUpdate.apply(ALICE,
                json("{\"name\": \"Alice\", \"roles\": [\"user\"], \"enabled\": true, \"site\": \"princeton\"}"),
                PrincipalsServlet.PATCHABLE, Principal.class);
        assertEquals(ALICE, update.value());
        assertEquals(Set.of(), update.changed(), "what a client echoes back is no change");
        update = PartialUpdate.apply(ALICE, json("{\"roles\": [\"pi\", \"user\"]}"), PrincipalsServlet.PATCHABLE, Principal.class);
        assertEquals(Set.of(Role.PI, Role.USER), update.value().roles());
        assertEquals(Set.of("roles"), update.changed());
    }

    @Test
    void nullClearsAnOptionalField() throws Exception {
        PartialUpdate<Site> update = PartialUpdate.apply(SITE, json("{\"url\": null}"), SitesServlet.PATCHABLE, Site.class);
        assertEquals("", update.value().url());
        assertEquals(Set.of("url"), update.changed());
    }

    @Test
    void unknownAndImmutableFieldsAreRefused() {
        Problem unknown = problem(() -> patchSite("{\"name\": \"X\", \"colour\": \"red\"}"));
        assertEquals(400, unknown.status());
        assertEquals("colour", unknown.extensions().get("field"));
        assertEquals("unknown field 'colour'", unknown.detail());
        Problem identity = problem(() -> patchSite("{\"loginBase\": \"mit\"}"));
        assertEquals(400, identity.status());
        assertEquals("loginBase", identity.extensions().get("field"));
        assertTrue(identity.detail().contains("cannot be changed"), identity.detail());
    }

    @Test
    void theMergedRecordIsCheckedAndTheFieldNamed() {
        Problem tooMany = problem(() -> patchSite("{\"maxSlices\": 10001}"));
        assertEquals(400, tooMany.status());
        assertEquals(Problem.TYPE_BASE + "invalid", tooMany.type());
        assertEquals("maxSlices", tooMany.extensions().get("field"));
        Problem wrongType = problem(() -> patchSite("{\"maxSlices\": \"ten\"}"));
        assertEquals("maxSlices", wrongType.extensions().get("field"));
        assertEquals("maxSlices: must be a whole number", wrongType.detail());
        Problem nullPrimitive = problem(() -> patchSite("{\"maxSlices\": null}"));
        assertEquals("maxSlices", nullPrimitive.extensions().get("field"));
        Problem badUrl = problem(() -> patchSite("{\"url\": \"ftp://x\"}"));
        assertEquals("url", badUrl.extensions().get("field"));
        Problem badRole = problem(() -> PartialUpdate.apply(ALICE, uncheckedJson("{\"roles\": [\"root\"]}"),
                PrincipalsServlet.PATCHABLE, Principal.class));
        assertEquals("roles", badRole.extensions().get("field"));
        assertTrue(badRole.detail().contains("unknown role 'root'"), badRole.detail());
        Problem notAnObject = problem(() -> PartialUpdate.apply(SITE, uncheckedJson("[1]"), SitesServlet.PATCHABLE, Site.class));
        assertEquals(400, notAnObject.status());
    }

    @Test
    void slicesAndNodesMergeTheirTypedFields() throws Exception {
        Slice slice = new Slice("princeton_codeen", "", "", EXPIRES, Set.of("alice@princeton.edu"), 10);
        PartialUpdate<Slice> update = PartialUpdate.apply(slice,
                json("{\"expires\": \"2099-06-01T00:00:00Z\", \"members\": [\"Bob@Princeton.edu\", \"alice@princeton.edu\"]}"),
                SlicesServlet.PATCHABLE, Slice.class);
        assertEquals(Instant.parse("2099-06-01T00:00:00Z"), update.value().expires());
        assertEquals(Set.of("alice@princeton.edu", "bob@princeton.edu"), update.value().members());
        assertEquals(Set.of("expires", "members"), update.changed());
        Problem badTime = problem(() -> PartialUpdate.apply(slice, uncheckedJson("{\"expires\": \"tomorrow\"}"),
                SlicesServlet.PATCHABLE, Slice.class));
        assertEquals("expires", badTime.extensions().get("field"));

        Node node = new Node("node1.princeton.edu", "princeton", "", BootState.INSTALL);
        PartialUpdate<Node> boot = PartialUpdate.apply(node, json("{\"bootState\": \"boot\"}"), NodesServlet.PATCHABLE, Node.class);
        assertEquals(BootState.BOOT, boot.value().bootState());
        assertEquals(Set.of("bootState"), boot.changed());
        Problem badState = problem(() -> PartialUpdate.apply(node, uncheckedJson("{\"bootState\": \"sleep\"}"),
                NodesServlet.PATCHABLE, Node.class));
        assertEquals("bootState", badState.extensions().get("field"));
    }

    @Test
    void recordsAreWrittenWithExternalNames() throws Exception {
        Principal owner = new Principal("o@princeton.edu", "O", "princeton", Set.of(Role.NODE_OWNER, Role.PI), true);
        JsonNode written = AccountsJson.MAPPER.valueToTree(owner);
        assertEquals("[\"pi\",\"node-owner\"]", written.get("roles").toString());
        JsonNode slice = AccountsJson.MAPPER.valueToTree(new Slice("princeton_x", "", "", EXPIRES, Set.of(), 1));
        assertEquals("2099-01-01T00:00:00Z", slice.get("expires").asText());
        JsonNode node = AccountsJson.MAPPER.valueToTree(new Node("n.princeton.edu", "princeton", "", BootState.SAFEBOOT));
        assertEquals("SAFEBOOT", node.get("bootState").asText());
        assertEquals(Set.of("hostname", "site", "identityKey", "bootState"), fieldNames(node));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void patchSite(String body) {
        PartialUpdate.apply(SITE, uncheckedJson(body), SitesServlet.PATCHABLE, Site.class);
    }

    private static JsonNode uncheckedJson(String text) {
        try {
            return json(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
