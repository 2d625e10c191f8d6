package dev.sliceplane.monitor.internal.report;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.NetworkInterface;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.ReportSink;
import dev.sliceplane.platform.api.config.ConfiguredDurations;
import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.health.NodeHealth;
import dev.sliceplane.platform.api.http.LazyHttpClient;
import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * The resource monitor's reporter, on every node: once the node holds a credential
 * ({@link NodeSigner}) and runs a node manager ({@link LeaseLedger}), it reports the node's
 * capacity and measured figures to its authority's agent every interval, on the monitor's
 * management slice, and keeps {@link AuthorityClock} up to date from the answers.
 */
@Component(immediate = true, configurationPid = ReporterComponent.PID)
@Designate(ocd = ReporterComponent.Config.class)
public final class ReporterComponent {

    static final String PID = "dev.sliceplane.monitor.reporter";
    private static final Duration FIRST_ROUND_DELAY = Duration.ofMillis(500);

    @ObjectClassDefinition(name = "Sliceplane capacity reporter",
            description = "How this node reports its capacity to its authority's agent.")
    public @interface Config {
        @AttributeDefinition(description = "How often to report (ISO-8601); the agent's answer may change it.")
        String interval() default "PT10S";

        @AttributeDefinition(description = "This node's API base URL as service managers reach it; empty: "
                + "http://<host name>:<HTTP port> when the node's registered host name resolves to an address of this machine, "
                + "else http://127.0.0.1:<HTTP port>.")
        String advertisedUrl() default "";

        @AttributeDefinition(description = "How long one delivery to the agent may take (ISO-8601).")
        String requestTimeout() default "PT5S";

        @AttributeDefinition(description = "The longest wait between attempts while the agent is unreachable (ISO-8601).")
        String maxBackoff() default "PT5M";
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeHealth nodeHealth;
    private volatile ReportSink localAgent;
    private volatile Monitor monitor;
    private final ReportLoop loop;

    @Activate
    public ReporterComponent(BundleContext context, @Reference NodeSigner signer, @Reference LeaseLedger ledger,
            @Reference ManagementSlice slice, @Reference AuthorityClock authorityClock, Config config) {
        Duration interval = ConfiguredDurations.positive(config.interval(), "interval");
        Duration requestTimeout = ConfiguredDurations.positive(config.requestTimeout(), "requestTimeout");
        String port = firstNonNull(context.getProperty("sliceplane.http.port"),
                context.getProperty("org.osgi.service.http.port"), "8080");
        URI configured = config.advertisedUrl().isBlank() ? null : URI.create(config.advertisedUrl().trim());
        var advertised = new AdvertisedUrl(configured, signer.hostname(), port);
        // Built on the first report sent over HTTP: the authority's own node reports in process.
        var http = new LazyHttpClient(() -> HttpClient.newBuilder().executor(slice.executor())
                .connectTimeout(requestTimeout).build());
        CapacityReporter reporter = new CapacityReporter(signer, ledger, this::health, () -> localAgent,
                () -> monitor, authorityClock, http, new CapacityReporter.Settings(interval, advertised::get, requestTimeout),
                slice.executor(), Clock.systemUTC());
        this.loop = new ReportLoop(reporter::reportOnce, slice::schedule, interval,
                ConfiguredDurations.positive(config.maxBackoff(), "maxBackoff"));
        // A moment's grace: DS binds the dynamic references (the node health, the local agent) after
        // this constructor returns, and the first report should see them.
        loop.start(FIRST_ROUND_DELAY);
    }

    /** The platform's aggregate, so the report says what {@code /api/v1/health} says; STARTING without one. */
    private HealthStatus health() {
        NodeHealth current = nodeHealth;
        return current == null ? HealthStatus.STARTING : current.status();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setLocalAgent(ReportSink sink) {
        localAgent = sink;
    }

    void unsetLocalAgent(ReportSink sink) {
        if (localAgent == sink) {
            localAgent = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMonitor(Monitor current) {
        monitor = current;
    }

    void unsetMonitor(Monitor gone) {
        if (monitor == gone) {
            monitor = null;
        }
    }

    @Deactivate
    void deactivate() {
        loop.stop();
    }

    /** The configured URL, or one made from the host name (when it resolves) and the HTTP port, found once. */
    static final class AdvertisedUrl {
        private final URI configured;
        private final String hostname;
        private final String port;
        private volatile URI resolved;

        AdvertisedUrl(URI configured, String hostname, String port) {
            this.configured = configured;
            this.hostname = hostname;
            this.port = port;
        }

        URI get() {
            if (configured != null) {
                return configured;
            }
            URI url = resolved;
            if (url == null) {
                String host = "127.0.0.1";
                try {
                    // The host name only when it leads back to this machine: a test cluster's made-up
                    // names, or a name that resolves elsewhere, would send service managers astray.
                    for (InetAddress address : InetAddress.getAllByName(hostname)) {
                        if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) != null) {
                            host = hostname;
                            break;
                        }
                    }
                } catch (IOException | SecurityException e) {
                    host = "127.0.0.1";
                }
                url = resolved = URI.create("http://" + host + ":" + port);
            }
            return url;
        }
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
