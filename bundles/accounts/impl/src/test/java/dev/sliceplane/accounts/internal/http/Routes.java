package dev.sliceplane.accounts.internal.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.sliceplane.accounts.internal.JdbcRegistry;
import dev.sliceplane.accounts.internal.TestDatabases;
import dev.sliceplane.accounts.internal.credentials.ApiKeys;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.CredentialsComponent;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.accounts.internal.credentials.PasswordHasher;
import dev.sliceplane.accounts.internal.credentials.Passwords;
import dev.sliceplane.accounts.internal.credentials.TestConfig;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;
import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.http.HttpServlet;

/**
 * Every accounts servlet over a real registry (a fresh in-memory H2 database) and real
 * credentials, called the way the container would after the authentication filter: by path,
 * with the caller on the request.
 */
final class Routes implements AutoCloseable {

    static final Instant LATER = Instant.now().plus(1, ChronoUnit.HOURS);

    final RegistryDatabase database;
    final JdbcRegistry registry;
    final AuthorityComponent authority;
    final CredentialsComponent credentials;
    private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();

    Routes(Path keys) {
        database = RegistryDatabase.open(DatabaseKind.H2, TestDatabases.h2Memory(), 2);
        registry = new JdbcRegistry(database, Clock.systemUTC());
        authority = new AuthorityComponent(keys, TestConfig.defaults(), Clock.systemUTC());
        credentials = new CredentialsComponent(registry, new ApiKeys(database, Clock.systemUTC(), new SecureRandom()),
                new Passwords(database, new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1), new SecureRandom()),
                        Clock.systemUTC()), authority);
        servlets.put(WhoamiServlet.PATH, new WhoamiServlet(registry));
        servlets.put(SitesServlet.PATH, new SitesServlet(registry));
        servlets.put(PrincipalsServlet.PATH, new PrincipalsServlet(registry, credentials));
        servlets.put(SlicesServlet.PATH, new SlicesServlet(registry));
        servlets.put(KeysServlet.PATH, new KeysServlet(registry));
        servlets.put(NodesServlet.PATH, new NodesServlet(registry, new NodeResourcesServlet(registry,
                new NodeBootstraps(database, Clock.systemUTC(), new SecureRandom()), authority)));
        servlets.put(TokensServlet.PATH, new TokensServlet(credentials));
    }

    static Caller principal(String email, String site, String... roles) {
        return Caller.principal(email, site, Set.of(roles), "jti-" + email, LATER);
    }

    FakeHttp.Answer get(Caller caller, String uri) throws Exception {
        return call(caller, "GET", uri, null);
    }

    FakeHttp.Answer delete(Caller caller, String uri) throws Exception {
        return call(caller, "DELETE", uri, null);
    }

    /** A request with a JSON body (or none when {@code json} is null). */
    FakeHttp.Answer call(Caller caller, String method, String uri, String json) throws Exception {
        return send(caller, method, uri, json == null ? null : "application/json", json);
    }

    FakeHttp.Answer send(Caller caller, String method, String uri, String contentType, String body) throws Exception {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        for (Map.Entry<String, HttpServlet> route : servlets.entrySet()) {
            if (path.equals(route.getKey()) || path.startsWith(route.getKey() + "/")) {
                FakeHttp.Answer answer = new FakeHttp.Answer();
                route.getValue().service(FakeHttp.request(method, route.getKey(), uri, contentType,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8), caller), FakeHttp.response(answer));
                return answer;
            }
        }
        throw new IllegalArgumentException("no servlet for " + uri);
    }

    @Override
    public void close() {
        database.close();
    }
}
