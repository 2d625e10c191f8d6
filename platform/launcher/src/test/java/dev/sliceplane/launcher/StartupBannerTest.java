package dev.sliceplane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class StartupBannerTest {

    @Test
    void rendersTheBlock() {
        String text = StartupBanner.render("0.1.0", Duration.ofMillis(1234), URI.create("http://localhost:8080/"), Path.of("/srv/var"));
        assertEquals(String.join(System.lineSeparator(),
                "Sliceplane 0.1.0 node started in 1.23 s",
                "  API        http://localhost:8080/api/v1/",
                "  health     http://localhost:8080/api/v1/health",
                "  dashboard  http://localhost:8080/",
                "  metrics    http://localhost:8080/metrics",
                "  data       /srv/var",
                "Press Ctrl-C to stop.",
                ""), text);
    }

    @Test
    void wildcardAndLoopbackEndpointsShowLocalhost() {
        assertEquals(URI.create("http://localhost:8081/"), HttpEndpoint.choose("http://0.0.0.0:8081/", 8080));
        assertEquals(URI.create("http://localhost:8081/"),
                HttpEndpoint.choose(new String[] {"http://10.1.2.3:8081/", "http://127.0.0.1:8081/"}, 8080));
        assertEquals(URI.create("http://localhost:8081/"), HttpEndpoint.choose("http://[::1]:8081", 8080));
    }

    @Test
    void aSpecificHostIsKept() {
        assertEquals(URI.create("http://10.1.2.3:8081/ctx/"), HttpEndpoint.choose(new String[] {"http://10.1.2.3:8081/ctx"}, 8080));
    }

    @Test
    void fallsBackToThePortWhenTheEndpointIsUnusable() {
        assertEquals(URI.create("http://localhost:8080/"), HttpEndpoint.choose(null, 8080));
        assertEquals(URI.create("http://localhost:8080/"), HttpEndpoint.choose("not a url", 8080));
    }
}
