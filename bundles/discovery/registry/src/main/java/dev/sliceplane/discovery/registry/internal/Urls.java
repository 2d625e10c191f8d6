package dev.sliceplane.discovery.registry.internal;

import java.net.URI;

/** Joins a node's base URL and an absolute API path. */
final class Urls {

    private Urls() {
    }

    static URI resolve(URI base, String pathAndQuery) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + pathAndQuery);
    }
}
