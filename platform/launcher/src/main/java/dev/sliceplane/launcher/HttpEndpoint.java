package dev.sliceplane.launcher;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * Learns the URL the HTTP whiteboard really serves from its runtime service. The launcher cannot
 * see the servlet API, so the service is matched by class name and never fetched.
 */
final class HttpEndpoint {

    static final String RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";
    static final String ENDPOINT = "osgi.http.endpoint";

    private static final String FILTER = "(objectClass=" + RUNTIME + ")";
    private static final long POLL_MILLIS = 250;

    private HttpEndpoint() {
    }

    /**
     * Waits for the HTTP runtime service.
     *
     * @return its endpoint, or empty when it did not appear in time or the framework stopped meanwhile
     */
    static Optional<URI> await(Framework framework, Duration timeout, int fallbackPort) throws InterruptedException {
        BundleContext context = framework.getBundleContext();
        CountDownLatch registered = new CountDownLatch(1);
        ServiceListener listener = event -> registered.countDown();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            context.addServiceListener(listener, FILTER);
            try {
                while (true) {
                    ServiceReference<?>[] refs = context.getServiceReferences((String) null, FILTER);
                    if (refs != null) {
                        return Optional.of(choose(refs[0].getProperty(ENDPOINT), fallbackPort));
                    }
                    long left = deadline - System.nanoTime();
                    // Polling as well as listening notices a framework stopped by Ctrl-C or the shell.
                    if (left <= 0 || framework.getState() != Bundle.ACTIVE) {
                        return Optional.empty();
                    }
                    registered.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
                }
            } finally {
                context.removeServiceListener(listener);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e); // the filter is a constant
        } catch (IllegalStateException e) {
            return Optional.empty(); // the context went away: the framework stopped
        }
    }

    /**
     * Picks the URL to show from {@code osgi.http.endpoint} (a string or several). A wildcard or
     * loopback host is shown as {@code localhost}, which is what a user on the node types; so is
     * a list of several addresses, which is how Felix reports a server bound to all interfaces.
     */
    static URI choose(Object endpoints, int fallbackPort) {
        List<URI> usable = new ArrayList<>();
        for (String candidate : strings(endpoints)) {
            try {
                URI uri = new URI(candidate.trim());
                if (uri.getScheme() != null && uri.getPort() > 0) {
                    usable.add(uri);
                }
            } catch (URISyntaxException e) {
                // not a URL: ignore this entry
            }
        }
        if (usable.isEmpty()) {
            return URI.create("http://localhost:" + fallbackPort + "/");
        }
        URI first = usable.get(0);
        boolean allInterfaces = usable.size() > 1 || usable.stream().anyMatch(uri -> isLocal(uri.getHost()));
        return normalize(first, allInterfaces ? "localhost" : first.getHost());
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static boolean isLocal(String host) {
        return host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("[::]")
                || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** The base URL, ending in a slash so the API paths resolve below it. */
    private static URI normalize(URI uri, String host) {
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (!path.endsWith("/")) {
            path += "/";
        }
        try {
            return new URI(uri.getScheme(), null, host, uri.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e); // parts of a valid URI
        }
    }
}
