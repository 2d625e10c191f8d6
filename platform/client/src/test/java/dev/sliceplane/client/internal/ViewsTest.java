package dev.sliceplane.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.client.DeployRequest;
import dev.sliceplane.client.Lease;
import dev.sliceplane.client.ProgramSpec;
import dev.sliceplane.platform.api.acquisition.Resources;

/** The contract's JSON, written exactly and read leniently where the contract leaves room. */
class ViewsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    private final Views views = new Views(JSON);

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** As a server reads it (a long written and an int parsed are different nodes). */
    private static JsonNode sent(JsonNode written) throws Exception {
        return JSON.readTree(written.toString());
    }

    @Test
    void requestsLeaveOutWhatWasNotGiven() throws Exception {
        DeployRequest bare = DeployRequest.of("s", 2, new Resources(1, 2, 3, 4));
        assertEquals(json("""
                {"slice": "s", "count": 2, "resources": {"cpu": 1.0, "memory": 2, "processes": 3, "disk": 4},
                 "partial": false}"""), sent(views.brokerRequest(bare)));
        assertEquals(json("{\"command\": [\"a\", \"b c\"], \"environment\": {}, \"workingDirectory\": \"w\"}"),
                sent(views.program(ProgramSpec.of("a", "b c").withWorkingDirectory("w"))));
        assertEquals(json("{\"command\": [\"a\"], \"environment\": {\"K\": \"V\"}}"),
                sent(views.program(ProgramSpec.of("a").withEnvironment(Map.of("K", "V")))));
        assertEquals(json("{\"duration\": \"PT1H30M\"}"), sent(views.renewal(Duration.ofMinutes(90))));
    }

    @Test
    void listsComeBareOrUnderAField() throws Exception {
        assertEquals(2, Views.list(json("[{}, {}]"), "leases").size());
        assertEquals(1, Views.list(json("{\"leases\": [{}]}"), "leases").size());
        assertTrue(Views.isList(json("{\"tickets\": []}"), "tickets"));
        assertTrue(!Views.isList(json("{\"tickets\": 3}"), "tickets"));
    }

    @Test
    void aLeaseReadsWithIsoOrEpochTimesAndWithoutOptionalFields() throws Exception {
        Lease iso = Views.lease(json("""
                {"id": "L1", "slice": "s", "node": "n", "sliver": "s-1", "ticket": "t",
                 "resources": {"cpu": 0.5, "memory": 268435456, "processes": 64, "disk": 1073741824},
                 "start": "2026-11-26T12:00:00Z", "end": "2026-11-26T14:00:00+01:00", "state": "expiring",
                 "warning": "ends in 4 min", "lease": "a.b.c", "extra": true}"""));
        assertEquals(new Resources(0.5, 268435456, 64, 1073741824), iso.resources());
        assertEquals(Instant.parse("2026-11-26T13:00:00Z"), iso.end());
        assertEquals("ends in 4 min", iso.warning());
        assertEquals("a.b.c", iso.jws());

        Lease epoch = Views.lease(json("{\"id\": \"L2\", \"end\": 1795000000, \"warning\": null}"));
        assertEquals(Instant.ofEpochSecond(1795000000), epoch.end());
        assertNull(epoch.warning());
        assertNull(epoch.resources(), "no resources given");
        assertNull(Views.lease(json("{\"slice\": \"s\"}")), "a lease needs its id");
        assertNull(Views.resources(json("{\"cpu\": -1}")), "not a valid amount");
        assertNull(Views.resources(json("{\"cpu\": \"lots\"}")));
    }

    @Test
    void aTicketNamesItsNodeAndUrl() throws Exception {
        Ticket ticket = Views.ticket(json("{\"node\": \"n1\", \"url\": \"http://127.0.0.1:18091\", \"ticket\": \"j\", \"id\": \"t\"}"));
        assertEquals(new Ticket("t", "n1", URI.create("http://127.0.0.1:18091"), "j"), ticket);
        assertNull(Views.ticket(json("{\"node\": \"n1\", \"url\": \"not a url\"}")).url());
        assertNull(Views.ticket(json("{\"url\": \"http://x\"}")), "a ticket needs its node");
        assertEquals(Map.of("n1", URI.create("http://a:1")),
                Views.nodeUrls(json("[{\"hostname\": \"n1\", \"url\": \"http://a:1\"}, {\"hostname\": \"n2\"}]")));
    }
}
