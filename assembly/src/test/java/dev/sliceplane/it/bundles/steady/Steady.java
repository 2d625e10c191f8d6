package dev.sliceplane.it.bundles.steady;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.slice.ManagementSlice;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A well-behaved slice: a short task every 10 ms, recording how late each one starts.
 * {@code GET /api/v1/it/steady} reports the latencies since the last {@code POST} (which resets).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/it/steady")
public final class Steady extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final long PERIOD_NANOS = 10_000_000;

    private final transient ManagementSlice slice;
    private final long[] lateness = new long[100_000];
    private int count;

    @Activate
    public Steady(@Reference ManagementSlice slice) {
        this.slice = slice;
        next(System.nanoTime() + PERIOD_NANOS);
    }

    private void next(long due) {
        slice.schedule(() -> {
            long late = System.nanoTime() - due;
            record(late);
            next(Math.max(due + PERIOD_NANOS, System.nanoTime() + 1_000_000));
        }, Duration.ofNanos(Math.max(0, due - System.nanoTime())));
    }

    private synchronized void record(long lateNanos) {
        if (count < lateness.length) {
            lateness[count++] = lateNanos;
        }
    }

    @Override
    protected synchronized void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long[] sorted = Arrays.copyOf(lateness, count);
        Arrays.sort(sorted);
        writeJson(resp, 200, Map.of("samples", count,
                "p50Micros", percentile(sorted, 0.50) / 1000,
                "p99Micros", percentile(sorted, 0.99) / 1000,
                "maxMicros", sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000));
    }

    @Override
    protected synchronized void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        count = 0;
        writeJson(resp, 200, Map.of("reset", true));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
