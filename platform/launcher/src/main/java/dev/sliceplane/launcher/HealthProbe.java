package dev.sliceplane.launcher;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;

/**
 * Waits for the node's own verdict that it is ready: {@code GET /api/v1/health} answering 200.
 * The HTTP runtime appears before the endpoints do, so the banner waits for this instead.
 */
final class HealthProbe {

    /** Between refused connections: cheap, and the HTTP runtime is about to appear. */
    private static final long POLL_MILLIS = 20;
    /**
     * Between answers that say "not yet": each is a request the booting node serves, with the
     * whole report rendered, on CPUs the boot is using.
     */
    private static final long STARTING_POLL_MILLIS = 50;

    private HealthProbe() {
    }

    /** True once the health endpoint answers 200; false on timeout or when the framework stops. */
    static boolean awaitHealthy(Framework framework, URI endpoint, Duration timeout) throws InterruptedException {
        URI health = endpoint.resolve("api/v1/health");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && framework.getState() == Bundle.ACTIVE) {
            int status = status(health);
            if (status == 200) {
                return true;
            }
            Thread.sleep(status < 0 ? POLL_MILLIS : STARTING_POLL_MILLIS);
        }
        return false;
    }

    private static int status(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }
}
