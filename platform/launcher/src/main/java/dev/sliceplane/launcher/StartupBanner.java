package dev.sliceplane.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The block printed once the node serves HTTP: what is where, and how to stop it. */
final class StartupBanner {

    private StartupBanner() {
    }

    static String render(String version, Duration startup, URI base, Path dataDir) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Sliceplane %s node started in %.2f s%n", version, startup.toMillis() / 1000.0));
        line(text, "API", base.resolve("api/v1/"));
        line(text, "health", base.resolve("api/v1/health"));
        line(text, "dashboard", base);
        line(text, "metrics", base.resolve("metrics"));
        line(text, "data", dataDir);
        text.append(String.format("Press Ctrl-C to stop.%n"));
        return text.toString();
    }

    private static void line(StringBuilder text, String label, Object value) {
        text.append(String.format(Locale.ROOT, "  %-10s %s%n", label, value));
    }
}
