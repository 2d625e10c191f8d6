package dev.sliceplane.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.client.Failure;
import dev.sliceplane.platform.api.acquisition.Reason;

class ProblemsTest {

    private final Problems problems = new Problems(new ObjectMapper());

    @Test
    void aProblemWithReasonsKeepsTheChainInOrder() {
        Failure failure = problems.read(410, "application/problem+json", """
                {"type": "https://sliceplane.dev/problems/ticket-expired", "title": "Ticket expired", "status": 410,
                 "detail": "the ticket's window passed",
                 "reasons": [{"check": "window", "node": "n1", "rule": "ticket.exp", "detail": "ended 12:00:00Z"},
                             {"check": "request", "rule": "ticket.jti", "detail": "t9"}]}""");
        assertEquals(410, failure.status());
        assertEquals("ticket-expired", failure.type());
        assertEquals("the ticket's window passed", failure.detail());
        assertEquals(List.of(new Reason("window", "n1", "ticket.exp", "ended 12:00:00Z"),
                new Reason("request", "-", "ticket.jti", "t9")), failure.reasons(), "a missing field reads as -");
        assertEquals("410 ticket-expired: window on n1 (ticket.exp): ended 12:00:00Z; request on - (ticket.jti): t9",
                failure.toString());
    }

    @Test
    void anythingElseStillReadsFromTheStatus() {
        Failure html = problems.read(502, "text/html", "<html>Bad gateway</html>");
        assertEquals("bad-gateway", html.type());
        assertEquals("HTTP 502", html.detail());
        assertTrue(html.reasons().isEmpty());

        Failure text = problems.read(503, "text/plain", "node is draining\nsecond line");
        assertEquals("node is draining", text.detail());

        Failure blank = problems.read(403, "application/problem+json",
                "{\"type\": \"about:blank\", \"title\": \"Forbidden\", \"status\": 403}");
        assertEquals("forbidden", blank.type());
        assertEquals("Forbidden", blank.detail());
        assertEquals("Forbidden", blank.chain(), "without reasons the chain is the detail");
    }
}
