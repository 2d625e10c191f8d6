package dev.sliceplane.platform.internal.shell;

import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.platform.api.slice.SliceRegistry;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.swap.ImplementationInfo;
import dev.sliceplane.platform.api.swap.SubServiceInfo;
import dev.sliceplane.platform.api.swap.SwapException;
import dev.sliceplane.platform.api.swap.SwapManager;
import dev.sliceplane.platform.api.swap.SwapReport;
import dev.sliceplane.platform.internal.health.HealthAggregator;

/**
 * Operator commands in the framework shell, the same operations as the HTTP API:
 * {@code services}, {@code swap <service> <implementation>}, {@code slices}, {@code health}.
 */
@Component(service = SliceplaneCommands.class, property = {
    "osgi.command.scope=sliceplane",
    "osgi.command.function=services",
    "osgi.command.function=swap",
    "osgi.command.function=slices",
    "osgi.command.function=health"
})
public final class SliceplaneCommands {

    private final SwapManager swaps;
    private final SliceRegistry slices;
    private final HealthAggregator health;

    @Activate
    public SliceplaneCommands(@Reference SwapManager swaps, @Reference SliceRegistry slices,
            @Reference HealthAggregator health) {
        this.swaps = swaps;
        this.slices = slices;
        this.health = health;
    }

    /** Lists sub-services and their implementations; the active one is starred. */
    public String services() {
        StringBuilder out = new StringBuilder(String.format("%-14s %-5s %s%n", "SERVICE", "CORE", "IMPLEMENTATIONS"));
        for (SubServiceInfo service : swaps.services()) {
            StringBuilder impls = new StringBuilder();
            for (ImplementationInfo impl : service.implementations()) {
                impls.append(impl.active() ? "*" : " ").append(impl.symbolicName()).append(' ');
            }
            out.append(String.format("%-14s %-5s %s%n", service.name(), service.core() ? "yes" : "no", impls.toString().trim()));
        }
        return out.toString();
    }

    /** Makes {@code implementation} the active implementation of {@code service}. */
    public String swap(String service, String implementation) throws SwapException {
        SwapReport report = swaps.swap(service, implementation);
        return String.format("%s: %s -> %s in %.1f ms (consumers rebound %.3f ms after it registered)",
                report.service(), report.from(), report.to(), report.totalMicros() / 1000.0, report.rebindMicros() / 1000.0);
    }

    /** Lists management slices with their usage and limits. */
    public String slices() {
        StringBuilder out = new StringBuilder(String.format("%-18s %-10s %8s %8s %7s %9s %s%n",
                "SLICE", "STATE", "CPU s", "CPU now", "SHARE", "THREADS", "BUNDLE"));
        for (SliceSnapshot s : slices.slices()) {
            out.append(String.format(Locale.ROOT, "%-18s %-10s %8.2f %8.2f %7.2f %4d/%-4d %s%n", s.name(), s.state(),
                    s.usage().cpuNanos() / 1e9, s.usage().recentCpuShare(), s.limits().cpuShare(),
                    s.usage().liveThreads(), s.limits().maxThreads(), s.bundle()));
        }
        return out.toString();
    }

    /** Shows the node's health and each check. */
    public String health() {
        HealthAggregator.Report report = health.report();
        StringBuilder out = new StringBuilder("node: " + report.status() + System.lineSeparator());
        for (HealthAggregator.CheckState check : report.checks()) {
            String pending = check.pending() == null ? "" : String.format(" [then %s %d/%d: %s]",
                    check.pending().status(), check.pending().inARow(), check.consecutive(), check.pending().message());
            out.append(String.format("  %-24s %-8s %s%s%n", check.name(), check.status(), check.message(), pending));
        }
        return out.toString();
    }
}
