package dev.sliceplane.accounts.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.BootState;
import dev.sliceplane.accounts.api.Node;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PublicKey;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.internal.JdbcRegistry;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.MutableClock;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.accounts.internal.credentials.TestConfig;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** A node's sub-resources on the authority: who may call them, and the slices' ETag and 304. */
class NodeResourcesServletTest {

    static final String HOST = "node1.princeton.edu";
    static final Instant EXPIRES = Instant.now().plus(Duration.ofDays(30));

    @TempDir
    Path temp;

    RegistryDatabase database;
    JdbcRegistry registry;
    MutableClock clock;
    NodeResourcesServlet servlet;

    @BeforeEach
    void open() {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        database = RegistryDatabase.open(DatabaseKind.H2, h2, 2);
        clock = new MutableClock(Instant.now());
        registry = new JdbcRegistry(database, clock);
        AuthorityComponent authority = new AuthorityComponent(temp.resolve("keys"), TestConfig.defaults(), clock);
        servlet = new NodeResourcesServlet(registry, new NodeBootstraps(database, clock, new SecureRandom()), authority, clock);
        registry.addSite(new Site("princeton", "Princeton", "", 10));
        registry.addSite(new Site("mit", "MIT", "", 10));
        registry.addPrincipal(new Principal("bob@princeton.edu", "Bob", "princeton", Set.of(Role.USER), true));
        registry.addKey(PublicKey.parse("bob@princeton.edu",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtxTwcPdBSIPbr7DeQ1BTiYHrvnPS0cXWW1b3bGw7Sb bob"));
        registry.addSlice(new Slice("princeton_codeen", "", "", EXPIRES, Set.of("bob@princeton.edu"), 10));
        registry.addNode(new Node(HOST, "princeton", "", BootState.INSTALL));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void theNodeGetsItsSlicesWithAnEtagAnd304WhenUnchanged() throws Exception {
        Caller node = Caller.node(HOST, "princeton", "jti", Instant.now().plusSeconds(600));
        Result first = call("GET", HOST + "/slices", node, null);
        assertEquals(200, first.status, first.body);
        assertTrue(first.body.contains("\"memberKeys\":{\"bob@princeton.edu\":[{\"owner\":\"bob@princeton.edu\",\"type\":\"ssh-ed25519\""), first.body);
        String etag = first.headers.get("ETag");
        assertTrue(etag.matches("\"[A-Za-z0-9_-]{43}\""), etag);

        Result same = call("GET", HOST + "/slices", node, etag);
        assertEquals(304, same.status);
        assertEquals("", same.body);
        assertEquals(etag, same.headers.get("ETag"));
        assertEquals(304, call("GET", HOST + "/slices", node, "\"other\", W/" + etag).status, "weak comparison, lists");

        registry.removeMember("princeton_codeen", "bob@princeton.edu");
        Result changed = call("GET", HOST + "/slices", node, etag);
        assertEquals(200, changed.status);
        assertTrue(!changed.headers.get("ETag").equals(etag));

        clock.advance(Duration.ofDays(31));
        assertEquals("{\"slices\":[]}", call("GET", HOST + "/slices", node, null).body, "expired slices concern no node");
    }

    @Test
    void onlyTheNodeItselfAndAdminsReadItsSlices() throws Exception {
        Caller other = Caller.node("node2.princeton.edu", "princeton", "jti", Instant.now().plusSeconds(600));
        assertEquals(403, call("GET", HOST + "/slices", other, null).status);
        assertEquals(403, call("GET", HOST + "/slices", principal("princeton", Roles.PI), null).status);
        assertEquals(200, call("GET", HOST + "/slices", principal("mit", Roles.ADMIN), null).status);
        assertEquals(404, call("GET", "ghost.princeton.edu/slices", principal("mit", Roles.ADMIN), null).status);
        assertEquals(404, call("GET", HOST + "/other", principal("mit", Roles.ADMIN), null).status);
    }

    @Test
    void bootstrapTokensForAdminsAndTheNodesSitesPisAndTechs() throws Exception {
        Result issued = call("POST", HOST + "/bootstrap-tokens", principal("princeton", Roles.TECH), null);
        assertEquals(201, issued.status, issued.body);
        assertTrue(issued.body.matches("\\{\"bootstrapToken\":\"spb_[A-Za-z0-9_-]{43}\",\"expiresAt\":\"[^\"]+\"\\}"), issued.body);
        assertEquals("no-store", issued.headers.get("Cache-Control"));
        assertEquals(201, call("POST", HOST + "/bootstrap-tokens", principal("princeton", Roles.PI), null).status);
        assertEquals(201, call("POST", HOST + "/bootstrap-tokens", principal("mit", Roles.ADMIN), null).status);
        Result foreign = call("POST", HOST + "/bootstrap-tokens", principal("mit", Roles.TECH), null);
        assertEquals(403, foreign.status);
        assertTrue(foreign.body.contains("own site"), foreign.body);
        assertEquals(403, call("POST", HOST + "/bootstrap-tokens", principal("princeton", Roles.USER), null).status);
        assertEquals(404, call("POST", "ghost.princeton.edu/bootstrap-tokens", principal("mit", Roles.ADMIN), null).status);
    }

    private static Caller principal(String site, String role) {
        return Caller.principal("someone@" + site + ".edu", site, Set.of(role), "jti", Instant.now().plusSeconds(600));
    }

    record Result(int status, String body, Map<String, String> headers) {
    }

    private Result call(String method, String subPath, Caller caller, String ifNoneMatch) throws Exception {
        Map<String, Object> attributes = new HashMap<>(Map.of(Caller.REQUEST_ATTRIBUTE, caller));
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getRequestURI" -> "/api/v1/accounts/nodes/" + subPath;
                    case "getPathInfo" -> "/" + subPath;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getHeader" -> "If-None-Match".equals(args[0]) ? ifNoneMatch : null;
                    case "getContentType" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = {0};
        Map<String, String> headers = new HashMap<>();
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
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "setHeader" -> {
                        headers.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "getOutputStream" -> out;
                    case "isCommitted" -> false;
                    case "setContentType", "setCharacterEncoding", "resetBuffer", "setContentLength" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        servlet.service(req, resp);
        return new Result(status[0], body.toString(StandardCharsets.UTF_8), headers);
    }
}
