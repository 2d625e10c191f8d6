package dev.sliceplane.platform.internal.slice;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceState;

/** DOWN while a management slice violates its limits; WARN for bundles with a bad slice header. */
@Component(property = {HealthCheck.NAME + "=slices", HealthCheck.INTERVAL_SECONDS + ":Long=1"})
public final class SliceHealthCheck implements HealthCheck {

    private final SliceExtender extender;

    @Activate
    public SliceHealthCheck(@Reference SliceExtender extender) {
        this.extender = extender;
    }

    @Override
    public HealthResult check() {
        List<String> violating = new ArrayList<>();
        int throttled = 0;
        List<SliceSnapshot> slices = extender.slices();
        for (SliceSnapshot slice : slices) {
            if (slice.state() == SliceState.VIOLATING) {
                violating.add(slice.name() + " (" + slice.bundle() + "): " + slice.reason());
            } else if (slice.state() == SliceState.THROTTLED) {
                throttled++;
            }
        }
        if (!violating.isEmpty()) {
            return HealthResult.down("violating: " + String.join("; ", violating));
        }
        var invalid = extender.invalidHeaders();
        if (!invalid.isEmpty()) {
            return HealthResult.warn("invalid slice headers: " + String.join("; ", invalid.values()));
        }
        return HealthResult.up(slices.size() + " slices within limits" + (throttled > 0 ? ", " + throttled + " throttled" : ""));
    }
}
