package dev.sliceplane.discovery.registry.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.DiscoveryListener;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * {@link Discovery} from the authority's registry: every {@code probeSeconds} a {@link ProbeRounds
 * round} on the slice's threads reads the booted nodes and probes each. Without a node credential
 * ({@code NodeSigner}) it has nothing to call with: the view holds this node alone, once it can
 * describe itself. Listeners are told of each round's changes in order, one call at a time.
 */
@Component(service = Discovery.class, configurationPid = RegistryDiscovery.PID)
@Designate(ocd = RegistryDiscovery.Config.class)
public final class RegistryDiscovery implements Discovery {

    static final String PID = "dev.sliceplane.discovery.registry";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryDiscovery.class);

    @ObjectClassDefinition(name = "Sliceplane discovery from the registry",
            description = "The node list from the authority, liveness probed over HTTP.")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between probe rounds (each reads the node list and probes every node).")
        int probeSeconds() default 5;

        @AttributeDefinition(description = "How long one probe or registry read may take (ms).")
        long timeoutMillis() default 2000;

        @AttributeDefinition(description = "Missed probes in a row after which a SUSPECT node leaves the view "
                + "(it is SUSPECT after one).")
        int deadAfterMisses() default 3;

        @AttributeDefinition(description = "This node's API base URL; empty: the one its capacity reports gave "
                + "the agent, else http://127.0.0.1:<HTTP port>.")
        String advertisedUrl() default "";

        @AttributeDefinition(description = "Where this node is, free text (coordinates or a city); may be empty.")
        String location() default "";
    }

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeSigner signer;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeDirectory directory;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Monitor monitor;

    private final List<DiscoveryListener> listeners = new CopyOnWriteArrayList<>();
    private final View view;
    private final Prober prober;
    private final ProbeRounds rounds;
    private final AtomicLong declaredDead = new AtomicLong();
    private final Executor executor;
    private final URI configuredUrl;
    private final URI localUrl;
    private final String location;
    private final String version;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    /** The tail of the listener calls, so each round's are made after the last round's. */
    private CompletableFuture<Void> dispatching = CompletableFuture.completedFuture(null);
    private final ScheduledFuture<?> schedule;
    private final int probeSeconds;
    private final long timeoutMillis;
    private final int deadAfterMisses;

    @Activate
    public RegistryDiscovery(BundleContext context, @Reference ManagementSlice slice, Config config) {
        Duration timeout = Duration.ofMillis(config.timeoutMillis());
        if (config.probeSeconds() < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probeSeconds and timeoutMillis must be positive");
        }
        this.probeSeconds = config.probeSeconds();
        this.timeoutMillis = config.timeoutMillis();
        this.deadAfterMisses = config.deadAfterMisses();
        this.executor = slice.executor();
        HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).build();
        this.view = new View(config.deadAfterMisses());
        this.prober = new Prober(http, JSON, timeout, clock);
        this.rounds = new ProbeRounds(new RegistryReader(http, JSON, timeout), prober, view, this::dispatch);
        this.configuredUrl = config.advertisedUrl().isBlank() ? null : URI.create(config.advertisedUrl().strip());
        this.localUrl = URI.create("http://127.0.0.1:" + httpPort(context));
        this.location = config.location();
        this.version = context.getBundle().getVersion().toString();
        this.schedule = slice.scheduleAtFixedRate(this::round, Duration.ofMillis(200),
                Duration.ofSeconds(config.probeSeconds()));
    }

    /**
     * A swap raises or lowers {@code service.ranking} through this component's configuration; that
     * must not restart the rounds (DS would re-activate the component without this method). Other
     * settings take effect when the bundle next starts.
     */
    @Modified
    void modified(Config config) {
        if (config.probeSeconds() != probeSeconds || config.timeoutMillis() != timeoutMillis
                || config.deadAfterMisses() != deadAfterMisses) {
            LOG.info("discovery: new probe settings take effect when {} restarts", PID);
        }
    }

    @Deactivate
    void deactivate() {
        schedule.cancel(false);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(DiscoveryListener listener) {
        listeners.add(listener);
    }

    void removeListener(DiscoveryListener listener) {
        listeners.remove(listener);
    }

    @Override
    public String mechanism() {
        return "registry";
    }

    @Override
    public List<NodeAdvert> nodes() {
        List<NodeAdvert> nodes = new ArrayList<>(view.nodes());
        self().ifPresent(self -> {
            nodes.removeIf(n -> n.hostname().equals(self.hostname()));
            nodes.add(self);
        });
        nodes.sort(Comparator.comparing(NodeAdvert::hostname));
        return nodes;
    }

    @Override
    public Optional<NodeAdvert> node(String hostname) {
        Optional<NodeAdvert> self = self();
        if (self.isPresent() && self.get().hostname().equals(hostname)) {
            return self;
        }
        return view.node(hostname);
    }

    /** Built now from the node's credential and its monitor's latest sample; the health its last probe found. */
    @Override
    public Optional<NodeAdvert> self() {
        NodeSigner identity = signer;
        if (identity == null) {
            return Optional.empty();
        }
        Optional<NodeAdvert> probed = view.node(identity.hostname());
        Monitor figures = monitor;
        NodeFigures f = figures == null ? null : figures.node().orElse(null);
        Instant now = clock.instant();
        URI url = configuredUrl != null ? configuredUrl : probed.map(NodeAdvert::url).orElse(localUrl);
        List<String> roles = identity.authorityUrl().isEmpty() ? List.of("authority", "node") : List.of("node");
        return Optional.of(new NodeAdvert(identity.hostname(), identity.site(), url, roles, version, location,
                f == null ? Runtime.getRuntime().availableProcessors() : f.cores(), f == null ? null : f.cpuBusy(),
                f == null ? null : f.load1(), f == null ? 0 : f.memTotalBytes(), f == null ? null : f.memAvailableBytes(),
                f == null ? 0 : f.diskSizeBytes(), f == null ? null : f.diskAvailBytes(), f == null ? 0 : f.slivers(),
                probed.map(NodeAdvert::health).orElse(null), f == null ? now : f.at(), now, Liveness.ALIVE));
    }

    @Override
    public Optional<DiscoveryCounters> counters() {
        return Optional.of(prober.counters(declaredDead.get()));
    }

    private void round() {
        NodeSigner identity = signer;
        if (identity == null || !roundRunning.compareAndSet(false, true)) {
            return; // no credential to call with, or the last round is still waiting for its probes
        }
        URI authority = identity.authorityUrl().orElse(configuredUrl != null ? configuredUrl : localUrl);
        rounds.run(new ProbeRounds.Access(authority, identity.credential(), directory))
                .whenComplete((done, failure) -> roundRunning.set(false));
    }

    private synchronized void dispatch(List<View.Event> events) {
        if (events.isEmpty()) {
            return;
        }
        declaredDead.addAndGet(events.stream().filter(e -> e instanceof View.Left left && left.declaredDead()).count());
        dispatching = dispatching.thenRunAsync(() -> {
            for (View.Event event : events) {
                for (DiscoveryListener listener : listeners) {
                    try {
                        event.tell(listener);
                    } catch (RuntimeException e) {
                        LOG.warn("discovery listener {} failed", listener, e);
                    }
                }
            }
        }, executor);
    }

    private static String httpPort(BundleContext context) {
        for (String key : List.of("sliceplane.http.port", "org.osgi.service.http.port")) {
            String value = context.getProperty(key);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "8080";
    }
}
