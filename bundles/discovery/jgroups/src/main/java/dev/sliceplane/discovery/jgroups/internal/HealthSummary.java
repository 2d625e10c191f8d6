package dev.sliceplane.discovery.jgroups.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;

/**
 * The node's health for its advert: the worst of its {@link HealthCheck} services, each run once
 * with a deadline (throwing, overrunning or answering nothing counts as DOWN), as
 * {@code /api/v1/health} aggregates them. The platform's aggregator is internal to its bundle, so
 * this runs the public whiteboard itself, as the monitor's capacity reporter does.
 */
final class HealthSummary {

    private HealthSummary() {
    }

    /** {@code UP}, {@code WARN} or {@code DOWN}; UP when there are no checks. Never fails. */
    static CompletableFuture<String> evaluate(List<HealthCheck> checks, Executor executor, Duration timeout) {
        List<CompletableFuture<HealthStatus>> runs = checks.stream().map(check -> CompletableFuture
                .supplyAsync(() -> run(check), executor)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(failure -> HealthStatus.DOWN)).toList();
        return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            HealthStatus worst = HealthStatus.UP;
            for (CompletableFuture<HealthStatus> run : runs) {
                worst = worst.worse(run.getNow(HealthStatus.DOWN));
            }
            return worst.name();
        });
    }

    private static HealthStatus run(HealthCheck check) {
        try {
            HealthResult result = check.check();
            return result == null ? HealthStatus.DOWN : result.status();
        } catch (Exception e) {
            return HealthStatus.DOWN;
        }
    }
}
