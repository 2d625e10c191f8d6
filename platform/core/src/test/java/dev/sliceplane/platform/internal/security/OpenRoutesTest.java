package dev.sliceplane.platform.internal.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sliceplane.platform.api.security.Anonymous;

class OpenRoutesTest {

    private static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";

    private final OpenRoutes routes = new OpenRoutes();

    @Test
    void anOpenDefaultServletDoesNotOpenPathsOtherServletsAnswer() {
        routes.put("dashboard", Map.of(PATTERN, "/", Anonymous.PROPERTY, "GET"));
        routes.put("bundles", Map.of(PATTERN, "/api/v1/bundles/*"));
        assertTrue(routes.isOpen("GET", "/"));
        assertTrue(routes.isOpen("GET", "/anything/else"), "unmatched paths go to the default servlet");
        assertFalse(routes.isOpen("GET", "/api/v1/bundles"));
        assertFalse(routes.isOpen("GET", "/api/v1/bundles/7"));
        assertFalse(routes.isOpen("POST", "/"), "only the methods named are open");
    }

    @Test
    void exactBeatsPrefixAndTheLongerPrefixWins() {
        routes.put("accounts", Map.of(PATTERN, "/api/v1/accounts/*"));
        routes.put("tokens", Map.of(PATTERN, "/api/v1/accounts/tokens", Anonymous.PROPERTY, new String[] {"post"}));
        routes.put("open-tree", Map.of(PATTERN, "/api/v1/open/*", Anonymous.PROPERTY, "GET"));
        routes.put("closed-subtree", Map.of(PATTERN, "/api/v1/open/closed/*"));
        assertTrue(routes.isOpen("POST", "/api/v1/accounts/tokens"));
        assertFalse(routes.isOpen("POST", "/api/v1/accounts/tokens/x"), "the exact pattern covers only itself");
        assertFalse(routes.isOpen("POST", "/api/v1/accounts/sites"));
        assertTrue(routes.isOpen("GET", "/api/v1/open"));
        assertTrue(routes.isOpen("HEAD", "/api/v1/open/a"), "HEAD is a GET");
        assertFalse(routes.isOpen("GET", "/api/v1/open/closed/a"));
        assertFalse(routes.isOpen("GET", "/api/v1/openness"), "a prefix matches whole segments");
    }

    @Test
    void aRemovedServletNoLongerOpensItsRoute() {
        routes.put("jwks", Map.of(PATTERN, new String[] {"/jwks.json"}, Anonymous.PROPERTY, "GET"));
        assertTrue(routes.isOpen("GET", "/jwks.json"));
        routes.remove("jwks");
        assertFalse(routes.isOpen("GET", "/jwks.json"));
        assertFalse(routes.isOpen("GET", "/"), "no servlet at all: nothing is open");
    }
}
