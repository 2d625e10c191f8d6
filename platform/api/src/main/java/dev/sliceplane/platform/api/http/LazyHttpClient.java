package dev.sliceplane.platform.api.http;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * Builds an HTTP client on first use. Building one loads the JDK's default TLS context and trust
 * store, about a tenth of a second of CPU, even for plain-HTTP clients; a component made at start
 * that may never send a request (an all-in-one node talks to itself in process) should not pay
 * that on the node's start-up path. Thread-safe.
 */
public final class LazyHttpClient implements Supplier<HttpClient> {

    private final Supplier<HttpClient> builder;
    /** Guarded by this. */
    private HttpClient client;

    /** @param builder builds the client, once, on the first {@link #get()} */
    public LazyHttpClient(Supplier<HttpClient> builder) {
        this.builder = builder;
    }

    @Override
    public synchronized HttpClient get() {
        if (client == null) {
            client = builder.get();
        }
        return client;
    }
}
