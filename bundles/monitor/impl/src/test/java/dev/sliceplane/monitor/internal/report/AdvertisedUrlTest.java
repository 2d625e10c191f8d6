package dev.sliceplane.monitor.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

class AdvertisedUrlTest {

    @Test
    void aConfiguredUrlWins() {
        URI configured = URI.create("https://node1.example.org:8443");
        assertEquals(configured, new ReporterComponent.AdvertisedUrl(configured, "node1.invalid", "18091").get());
    }

    @Test
    void aNameThatDoesNotLeadHereFallsBackToLoopback() {
        assertEquals(URI.create("http://127.0.0.1:18091"),
                new ReporterComponent.AdvertisedUrl(null, "node1.princeton.invalid", "18091").get());
        assertEquals(URI.create("http://127.0.0.1:18092"),
                new ReporterComponent.AdvertisedUrl(null, "localhost", "18092").get(), "loopback names are not advertised");
    }
}
