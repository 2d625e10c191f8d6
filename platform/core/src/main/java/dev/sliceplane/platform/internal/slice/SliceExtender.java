package dev.sliceplane.platform.internal.slice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.platform.api.slice.SliceHeader;
import dev.sliceplane.platform.api.slice.SliceRegistry;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.platform.api.slice.SliceState;
import dev.sliceplane.platform.internal.NodePaths;

/**
 * The bundle-slice extender. Every bundle with a {@value SliceHeader#NAME} header gets a
 * {@link ManagedSlice} while it is starting, active or stopping; the slice is handed to the bundle
 * through the bundle-scoped {@link BundleSlice} service and closed when the bundle stops. A
 * sampler on a fixed tick settles each slice's CPU budget and applies the violation policy.
 */
@Component(service = {SliceRegistry.class, SliceExtender.class}, immediate = true, configurationPid = SliceExtender.PID)
@Designate(ocd = SliceExtender.Config.class)
public final class SliceExtender implements SliceRegistry {

    static final String PID = "dev.sliceplane.slices";
    private static final Logger LOG = LoggerFactory.getLogger(SliceExtender.class);

    /** What happens to a slice that keeps violating its limits. */
    public enum ViolationPolicy { REPORT, STOP }

    @ObjectClassDefinition(name = "Sliceplane management slices",
            description = "How management slices are metered and held to their limits.")
    public @interface Config {
        @AttributeDefinition(description = "How often slice usage is sampled and CPU budgets settled, in milliseconds.")
        long tickMillis() default 100;

        @AttributeDefinition(description = "CPU credit an idle slice may save up, as milliseconds at its share.")
        long burstMillis() default 1000;

        @AttributeDefinition(description = "How long a slice may stay over its CPU share, in seconds, before it is violating.")
        long violationSeconds() default 10;

        @AttributeDefinition(description = "What to do with a violating slice: report it (health DOWN) or also stop its bundle.",
                options = {@Option(value = "REPORT", label = "report"), @Option(value = "STOP", label = "stop the bundle")})
        ViolationPolicy violationPolicy() default ViolationPolicy.REPORT;

        @AttributeDefinition(description = "How often the size of each slice's data area is measured, in seconds.")
        long dataCheckSeconds() default 10;
    }

    private final BundleContext context;
    private final Path dataRoot;
    private final ScheduledExecutorService timer;
    private final Map<Long, SliceHolder> holders = new ConcurrentHashMap<>();
    /** Header errors by bundle id, reported by the slices health check. */
    private final Map<Long, String> invalidHeaders = new ConcurrentHashMap<>();
    private final BundleTracker<SliceHolder> tracker;
    private volatile Config config;
    private volatile ScheduledFuture<?> sampler;
    private long lastDataCheckNanos;

    @Activate
    public SliceExtender(BundleContext context, Config config) {
        this.context = context;
        this.config = config;
        this.dataRoot = NodePaths.dataDir(context).resolve("slices");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slice-timer");
            t.setDaemon(true);
            return t;
        });
        this.tracker = new BundleTracker<>(context,
                Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING, new Tracking());
        this.tracker.open();
        schedule();
    }

    @Modified
    void modified(Config updated) {
        this.config = updated;
        sampler.cancel(false);
        schedule();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        holders.values().forEach(SliceHolder::close);
        timer.shutdownNow();
    }

    @Override
    public List<SliceSnapshot> slices() {
        return holders.values().stream()
                .map(SliceHolder::snapshot)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(SliceSnapshot::name).thenComparing(SliceSnapshot::bundleId))
                .toList();
    }

    @Override
    public Optional<SliceSnapshot> slice(String name) {
        return slices().stream()
                .filter(s -> s.name().equals(name))
                .min(Comparator.comparing(s -> s.state() == SliceState.STOPPED));
    }

    /** Bundles whose slice header could not be parsed, with the reason. */
    Map<Long, String> invalidHeaders() {
        return Map.copyOf(invalidHeaders);
    }

    /**
     * The running slice of a bundle, opened if the bundle is starting before the tracker saw it.
     *
     * @throws IllegalStateException when the bundle declares no valid slice or is not running
     */
    ManagedSlice open(Bundle bundle) {
        SliceHolder holder = holderFor(bundle);
        if (holder == null) {
            String invalid = invalidHeaders.get(bundle.getBundleId());
            throw new IllegalStateException(bundle.getSymbolicName() + " has no management slice"
                    + (invalid != null ? ": " + invalid : "; declare one with the " + SliceHeader.NAME + " header"));
        }
        if (!running(bundle)) {
            throw new IllegalStateException(bundle.getSymbolicName() + " is not running");
        }
        return holder.open();
    }

    private void schedule() {
        long tick = Math.max(10, config.tickMillis());
        sampler = timer.scheduleAtFixedRate(this::sampleAll, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void sampleAll() {
        try {
            Config c = config;
            Duration violationAfter = Duration.ofSeconds(Math.max(1, c.violationSeconds()));
            long now = System.nanoTime();
            boolean measureData = now - lastDataCheckNanos >= TimeUnit.SECONDS.toNanos(Math.max(1, c.dataCheckSeconds()));
            if (measureData) {
                lastDataCheckNanos = now;
            }
            for (SliceHolder holder : holders.values()) {
                ManagedSlice slice = holder.live;
                if (slice == null) {
                    continue;
                }
                if (measureData) {
                    slice.measureData();
                }
                slice.sample(violationAfter);
                if (slice.state() == SliceState.VIOLATING) {
                    holder.onViolation(c.violationPolicy());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("slice sampling failed", e);
        }
    }

    private SliceHolder holderFor(Bundle bundle) {
        String header = bundle.getHeaders("").get(SliceHeader.NAME);
        if (header == null) {
            return null;
        }
        return holders.computeIfAbsent(bundle.getBundleId(), id -> {
            try {
                invalidHeaders.remove(id);
                return new SliceHolder(bundle, SliceDeclaration.parse(header));
            } catch (IllegalArgumentException e) {
                invalidHeaders.put(id, bundle.getSymbolicName() + ": " + e.getMessage());
                LOG.error("bundle {} has an invalid {} header: {}", bundle.getSymbolicName(), SliceHeader.NAME,
                        e.getMessage());
                return null;
            }
        });
    }

    private static boolean running(Bundle bundle) {
        return (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0;
    }

    /** A bundle's slice across its starts and stops; {@code live} is set while the bundle runs. */
    private final class SliceHolder {
        private final Bundle bundle;
        private final SliceDeclaration declaration;
        private volatile ManagedSlice live;
        private volatile SliceSnapshot lastRun;
        private volatile boolean stopRequested;

        SliceHolder(Bundle bundle, SliceDeclaration declaration) {
            this.bundle = bundle;
            this.declaration = declaration;
        }

        synchronized ManagedSlice open() {
            if (live == null) {
                live = new ManagedSlice(declaration.name(), bundle, declaration.limits(),
                        dataRoot.resolve(declaration.name()), timer, Duration.ofMillis(config.burstMillis()));
                stopRequested = false;
            }
            return live;
        }

        synchronized void close() {
            ManagedSlice slice = live;
            if (slice != null) {
                slice.close();
                lastRun = slice.snapshot();
                live = null;
            }
        }

        SliceSnapshot snapshot() {
            ManagedSlice slice = live;
            return slice != null ? slice.snapshot() : lastRun;
        }

        void onViolation(ViolationPolicy policy) {
            if (policy != ViolationPolicy.STOP || stopRequested) {
                return;
            }
            stopRequested = true;
            LOG.warn("stopping bundle {}: slice {} keeps violating its limits", bundle.getSymbolicName(),
                    declaration.name());
            // Stop off the sampler thread: stopping waits for the bundle's components to deactivate.
            Thread stopper = new Thread(() -> {
                try {
                    bundle.stop(Bundle.STOP_TRANSIENT);
                } catch (BundleException | IllegalStateException e) {
                    LOG.error("could not stop violating bundle {}", bundle.getSymbolicName(), e);
                }
            }, "slice-policy-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    /** Opens a slice when its bundle starts and closes it when the bundle stops. */
    private final class Tracking implements BundleTrackerCustomizer<SliceHolder> {
        @Override
        public SliceHolder addingBundle(Bundle bundle, BundleEvent event) {
            SliceHolder holder = holderFor(bundle);
            if (holder != null && running(bundle)) {
                holder.open();
            }
            return holder;
        }

        @Override
        public void modifiedBundle(Bundle bundle, BundleEvent event, SliceHolder holder) {
            if (running(bundle)) {
                holder.open();
            } else {
                holder.close();
            }
        }

        @Override
        public void removedBundle(Bundle bundle, BundleEvent event, SliceHolder holder) {
            holder.close();
            holders.remove(bundle.getBundleId());
            invalidHeaders.remove(bundle.getBundleId());
        }
    }
}
