package dev.sliceplane.platform.internal.slice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceLimits;
import dev.sliceplane.platform.api.slice.SliceUsage;

/**
 * The {@link ManagementSlice} service: bundle-scoped, so each bundle that gets it receives a view
 * of its own slice. Registering it through Declarative Services (rather than by hand from the
 * extender) keeps its registration out of other components' activation, which the HTTP
 * whiteboard does not tolerate while it is initialising a servlet.
 */
@Component(service = ManagementSlice.class, scope = ServiceScope.BUNDLE)
public final class BundleSlice implements ManagementSlice {

    private final ManagedSlice slice;

    @Activate
    public BundleSlice(ComponentContext context, @Reference SliceExtender extender) {
        this.slice = extender.open(context.getUsingBundle());
    }

    @Override
    public String name() {
        return slice.name();
    }

    @Override
    public SliceLimits limits() {
        return slice.limits();
    }

    @Override
    public ExecutorService executor() {
        return slice.executor();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return slice.schedule(task, delay);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        return slice.scheduleAtFixedRate(task, initialDelay, period);
    }

    @Override
    public Path dataArea() {
        return slice.dataArea();
    }

    @Override
    public SliceUsage usage() {
        return slice.usage();
    }

    @Override
    public void recordRequest(long cpuNanos) {
        slice.recordRequest(cpuNanos);
    }
}
