package dev.sliceplane.platform.internal.security;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

import dev.sliceplane.platform.api.security.Anonymous;

/**
 * Which routes anonymous callers may use: the methods a servlet opens with {@link
 * Anonymous#PROPERTY}, found by the servlet that will answer a path under the whiteboard's
 * matching (an exact pattern, else the longest {@code /prefix/*}, else the default {@code /}).
 * Knowing every servlet matters: a path another servlet answers is not opened by the default
 * servlet being open.
 */
final class OpenRoutes {

    /** A registered servlet's patterns and the methods it opens to anonymous callers. */
    record Route(List<String> patterns, Set<String> anonymousMethods) {
    }

    private final Map<Object, Route> routes = new ConcurrentHashMap<>();

    /** Adds or replaces the servlet registered under {@code key} from its service properties. */
    void put(Object key, Map<String, ?> properties) {
        routes.put(key, new Route(strings(properties.get(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN)),
                strings(properties.get(Anonymous.PROPERTY)).stream()
                        .map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())));
    }

    void remove(Object key) {
        routes.remove(key);
    }

    /** Whether an anonymous {@code method} on {@code path} reaches a servlet that allows it. */
    boolean isOpen(String method, String path) {
        Route best = null;
        int bestScore = -1;
        for (Route route : routes.values()) {
            for (String pattern : route.patterns()) {
                int score = score(pattern, path);
                if (score > bestScore) {
                    best = route;
                    bestScore = score;
                }
            }
        }
        if (best == null) {
            return false;
        }
        String m = method.equals("HEAD") ? "GET" : method;
        return best.anonymousMethods().contains(m);
    }

    /** How well a pattern matches: exact beats any prefix, a longer prefix beats a shorter, -1 for no match. */
    static int score(String pattern, String path) {
        if (pattern.equals(path)) {
            return Integer.MAX_VALUE;
        }
        if (pattern.equals("/")) {
            return 0;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return prefix.length() + 1;
            }
        }
        if (pattern.startsWith("*.") && path.endsWith(pattern.substring(1))) {
            return 1;
        }
        return -1;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s.split("\\s*,\\s*"));
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
