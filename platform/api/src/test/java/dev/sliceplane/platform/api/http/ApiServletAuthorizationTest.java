package dev.sliceplane.platform.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** How {@link ApiServlet} lets callers in: {@link Allow}, the default rule, and a missing filter. */
class ApiServletAuthorizationTest {

    /** An endpoint with one method of each kind. */
    static final class Endpoint extends ApiServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            writeJson(resp, 200, Map.of());
        }

        @Override
        @Allow({Roles.PI, Roles.TECH})
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            writeJson(resp, 201, Map.of());
        }

        @Override
        protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            writeJson(resp, 204, Map.of());
        }

        @Override
        @Allow
        protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            writeJson(resp, 200, Map.of());
        }
    }

    /** An endpoint whose client hangs up while it answers. */
    static final class HungUpOn extends ApiServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            throw new java.io.EOFException("client gone");
        }
    }

    private static Caller withRoles(String... roles) {
        return Caller.principal("someone@x.org", "x", Set.of(roles), "jti", Instant.now().plusSeconds(60));
    }

    @Test
    void readingNeedsOnlyAnAuthenticatedCaller() throws Exception {
        assertEquals(200, call("GET", withRoles()).status);
    }

    @Test
    void allowListsTheRolesThatMayCall() throws Exception {
        assertEquals(201, call("POST", withRoles(Roles.TECH)).status);
        Result refused = call("POST", withRoles(Roles.USER));
        assertEquals(403, refused.status);
        assertTrue(refused.body.contains("\"type\":\"https://sliceplane.dev/problems/forbidden\""), refused.body);
        assertTrue(refused.body.contains("pi, tech"), "the refusal names the roles: " + refused.body);
        assertEquals(201, call("POST", withRoles(Roles.ADMIN)).status, "administrators pass every role check");
    }

    @Test
    void changingWithoutAllowIsForAdministratorsOnly() throws Exception {
        assertEquals(204, call("DELETE", withRoles(Roles.ADMIN)).status);
        assertEquals(403, call("DELETE", withRoles(Roles.PI, Roles.TECH, Roles.USER)).status);
    }

    @Test
    void anEmptyAllowOpensToAnyAuthenticatedCaller() throws Exception {
        assertEquals(200, call("PUT", withRoles()).status);
    }

    @Test
    void anonymousCallersThatTheFilterLetThroughPass() throws Exception {
        assertEquals(201, call("POST", Caller.ANONYMOUS).status);
    }

    @Test
    void aRequestTheFilterNeverSawIsRefused() throws Exception {
        Result r = call("GET", null);
        assertEquals(503, r.status);
        assertTrue(r.body.contains("authentication"), r.body);
    }

    @Test
    void aClientThatHungUpIsNoServerError() throws Exception {
        Result r = call(new HungUpOn(), "GET", withRoles());
        assertEquals(0, r.status, "no answer is attempted on a closed connection: " + r.body);
        assertEquals("", r.body);
    }

    record Result(int status, String body) {
    }

    private static Result call(String method, Caller caller) throws Exception {
        return call(new Endpoint(), method, caller);
    }

    private static Result call(ApiServlet servlet, String method, Caller caller) throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        if (caller != null) {
            attributes.put(Caller.REQUEST_ATTRIBUTE, caller);
        }
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(ApiServletAuthorizationTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getRequestURI" -> "/api/v1/test";
                    case "getProtocol" -> "HTTP/1.1";
                    case "getHeader", "getContentType", "getPathInfo" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = {0};
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(ApiServletAuthorizationTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "getOutputStream" -> out;
                    case "isCommitted" -> false;
                    case "setContentType", "setCharacterEncoding", "resetBuffer", "setHeader" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        servlet.service(req, resp);
        return new Result(status[0], body.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
