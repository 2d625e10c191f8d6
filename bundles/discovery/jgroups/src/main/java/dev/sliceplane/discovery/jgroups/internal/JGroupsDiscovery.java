package dev.sliceplane.discovery.jgroups.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

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

import dev.sliceplane.discovery.api.Discovery;
import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.DiscoveryListener;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.config.ConfiguredDurations;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.health.NodeHealth;
import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * The default {@link Discovery}: once the node holds a credential ({@link NodeSigner}) and knows
 * its authority's keys, it joins the JGroups group named by its configuration, advertises itself
 * every {@code advertSeconds} and after every view change, and answers from the verified adverts
 * of the group's members. Joining runs on the slice's executor, so activation never waits on the
 * network; until the node has joined, the view is empty.
 */
@Component(service = Discovery.class, immediate = true, configurationPid = JGroupsDiscovery.PID,
        property = "mechanism=" + JGroupsDiscovery.MECHANISM)
@Designate(ocd = JGroupsDiscovery.Config.class)
public final class JGroupsDiscovery implements Discovery {

    static final String PID = "dev.sliceplane.discovery.jgroups";
    static final String MECHANISM = "jgroups";
    private static final Logger LOG = LoggerFactory.getLogger(JGroupsDiscovery.class);

    @ObjectClassDefinition(name = "Sliceplane discovery (JGroups)",
            description = "How this node joins the discovery group and what it advertises.")
    public @interface Config {
        @AttributeDefinition(description = "The group's name: nodes with the same name that reach a common seed form one view.")
        String cluster() default "sliceplane";

        @AttributeDefinition(description = "The address the group transport binds to: an address, or JGroups' "
                + "site_local, global, match-interface:<regex>.")
        String bindAddress() default "127.0.0.1";

        @AttributeDefinition(description = "The first TCP port the group transport tries; failure detection listens 50 above it.")
        int bindPort() default 7800;

        @AttributeDefinition(description = "Further ports tried on bind and probed on every seed (0..49): room for "
                + "several nodes on one machine with the same configuration.")
        int portRange() default 20;

        @AttributeDefinition(description = "The seeds, as host[port] separated by commas; any one reachable member is enough.")
        String initialHosts() default "127.0.0.1[7800]";

        @AttributeDefinition(description = "How often this node re-sends its advertisement, in seconds.")
        int advertSeconds() default 5;

        @AttributeDefinition(description = "How long without heartbeats before a member is suspected (ISO-8601); "
                + "heartbeats go out six times per timeout. A member whose process dies is suspected at once (its sockets close).")
        String failureTimeout() default "PT4S";

        @AttributeDefinition(description = "How long a suspicion is checked before the member is excluded (ISO-8601).")
        String verifyTimeout() default "PT1.5S";

        @AttributeDefinition(description = "How long a joining node waits for an existing group before it founds one (ISO-8601).")
        String joinTimeout() default "PT2S";

        @AttributeDefinition(description = "The shortest interval between checks for partitions to merge (ISO-8601).")
        String mergeInterval() default "PT5S";

        @AttributeDefinition(description = "This node's API base URL as other nodes reach it; empty: http://127.0.0.1:<HTTP port>.")
        String advertisedUrl() default "";

        @AttributeDefinition(description = "Where this node is, free text (coordinates or a city); may be empty.")
        String location() default "";

        @AttributeDefinition(description = "The roles advertised; empty: authority and node on the authority's own node, else node.")
        String[] roles() default {};
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile NodeHealth nodeHealth;
    private volatile Monitor monitor;
    private final BundleContext context;
    private final NodeSigner signer;
    private final AuthorityKeys authority;
    private final ManagementSlice slice;
    private final ListenerCalls listeners;
    /** The group membership of the configuration in force; replaced when that configuration changes. */
    private volatile Running running;

    /** One configuration's membership: the member, its re-advertising task, and why joining failed. */
    private static final class Running {
        final List<Object> settings;
        final String cluster;
        final GroupMember member;
        final ScheduledFuture<?> readvertising;
        volatile String joinProblem;

        Running(List<Object> settings, String cluster, GroupMember member, ScheduledFuture<?> readvertising) {
            this.settings = settings;
            this.cluster = cluster;
            this.member = member;
            this.readvertising = readvertising;
        }

        void stop() {
            readvertising.cancel(false);
            member.close();
        }
    }

    @Activate
    public JGroupsDiscovery(BundleContext context, @Reference NodeSigner signer, @Reference AuthorityKeys authority,
            @Reference ManagementSlice slice, Config config) {
        this.context = context;
        this.signer = signer;
        this.authority = authority;
        this.slice = slice;
        this.listeners = new ListenerCalls(slice.executor());
        this.running = start(config);
    }

    /**
     * A swap changes only {@code service.ranking}: the membership stays as it is. Any other change
     * leaves the group and joins it again with the new settings.
     */
    @Modified
    void modified(Config config) {
        Running current = running;
        if (current.settings.equals(settings(config))) {
            return;
        }
        // Leave first: the new membership may bind the same port (portRange 0), and joins on the executor.
        current.stop();
        running = start(config);
    }

    private Running start(Config config) {
        Duration advertEvery = Duration.ofSeconds(Math.max(1, config.advertSeconds()));
        StackConfig stack = new StackConfig(config.bindAddress().trim(), config.bindPort(), config.portRange(),
                config.initialHosts().trim(), ConfiguredDurations.positive(config.failureTimeout(), "failureTimeout"),
                ConfiguredDurations.positive(config.verifyTimeout(), "verifyTimeout"),
                ConfiguredDurations.positive(config.joinTimeout(), "joinTimeout"),
                ConfiguredDurations.positive(config.mergeInterval(), "mergeInterval"));
        AdvertSource source = new AdvertSource(facts(context, signer, config), () -> monitor, this::aggregateHealth);
        // An advert outlives a few missed rounds, never a minute, so a replayed old one soon stops counting.
        Duration validity = advertEvery.multipliedBy(6).compareTo(Duration.ofMinutes(1)) < 0
                ? Duration.ofMinutes(1) : advertEvery.multipliedBy(6);
        GroupMember member = new GroupMember(new GroupMember.Settings(config.cluster(), stack, validity), signer,
                new AdvertCodec(authority, Clock.systemUTC()), source::current, listeners::tell, slice.executor());
        Running started = new Running(settings(config), config.cluster(), member,
                slice.scheduleAtFixedRate(member::advertise, advertEvery, advertEvery));
        slice.executor().execute(() -> {
            try {
                member.start();
            } catch (Exception e) {
                started.joinProblem = e.toString();
                LOG.error("{} could not join discovery group {}: {}", signer.hostname(), config.cluster(), e.toString(), e);
            }
        });
        return started;
    }

    /** Every setting but the service properties a swap changes. */
    private static List<Object> settings(Config c) {
        return List.of(c.cluster(), c.bindAddress(), c.bindPort(), c.portRange(), c.initialHosts(), c.advertSeconds(),
                c.failureTimeout(), c.verifyTimeout(), c.joinTimeout(), c.mergeInterval(), c.advertisedUrl(),
                c.location(), List.of(c.roles()));
    }

    private static AdvertSource.Facts facts(BundleContext context, NodeSigner signer, Config config) {
        URI url;
        if (config.advertisedUrl().isBlank()) {
            String port = firstSet(context.getProperty("sliceplane.http.port"),
                    context.getProperty("org.osgi.service.http.port"), "8080");
            url = URI.create("http://127.0.0.1:" + port);
        } else {
            url = URI.create(config.advertisedUrl().trim());
        }
        List<String> roles = new ArrayList<>(Arrays.stream(config.roles()).map(String::trim).filter(r -> !r.isEmpty()).toList());
        if (roles.isEmpty()) {
            roles = signer.authorityUrl().isEmpty() ? List.of("authority", "node") : List.of("node");
        }
        String version = firstSet(context.getProperty("sliceplane.version"),
                context.getBundle() == null ? null : context.getBundle().getVersion().toString(), "unknown");
        return new AdvertSource.Facts(url, roles, version, config.location().trim());
    }

    @Override
    public String mechanism() {
        return MECHANISM;
    }

    @Override
    public List<NodeAdvert> nodes() {
        return running.member.nodes();
    }

    @Override
    public Optional<NodeAdvert> node(String hostname) {
        return running.member.node(hostname);
    }

    @Override
    public Optional<NodeAdvert> self() {
        return running.member.self();
    }

    @Override
    public Optional<DiscoveryCounters> counters() {
        return Optional.of(running.member.counters());
    }

    /** For the {@code discovery} health check: whether this node is in its group, and what it sees. */
    HealthResult health() {
        Running current = running;
        GroupMember member = current.member;
        String cluster = current.cluster;
        String problem = current.joinProblem;
        if (problem != null) {
            return HealthResult.warn("could not join discovery group " + cluster + ": " + problem);
        }
        if (!member.joined()) {
            return HealthResult.up("joining discovery group " + cluster);
        }
        return HealthResult.up("in discovery group " + cluster + ": " + member.viewSize() + " members, "
                + member.nodeCount() + " verified nodes; " + member.rejected() + " of " + member.received()
                + " adverts rejected");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(DiscoveryListener listener) {
        listeners.add(listener, running.member.nodes().stream().<ViewEvent>map(ViewEvent.Joined::new).toList());
    }

    void removeListener(DiscoveryListener listener) {
        listeners.remove(listener);
    }

    /**
     * The platform's aggregate, as {@code /api/v1/health} reports it: never the checks themselves,
     * which would run them twice and make this component consume the health check that watches it.
     */
    private HealthStatus aggregateHealth() {
        NodeHealth current = nodeHealth;
        return current == null ? HealthStatus.STARTING : current.status();
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
        running.stop();
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
