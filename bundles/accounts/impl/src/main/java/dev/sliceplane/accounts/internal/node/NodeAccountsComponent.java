package dev.sliceplane.accounts.internal.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.internal.AccountsPaths;
import dev.sliceplane.accounts.api.NodeCache;
import dev.sliceplane.accounts.api.TokenVerifier;
import dev.sliceplane.accounts.internal.AuthorityRole;
import dev.sliceplane.accounts.internal.credentials.CredentialVerifier;
import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * Decides what accounts runs in this process, from one setting, {@code authorityUrl}:
 * <ul>
 * <li>empty (the all-in-one default): this node is its own authority. This component only
 * registers the {@link AuthorityRole} marker, which the registry and the signing keys require.</li>
 * <li>an authority's URL: this node has joined that authority. No marker, so no registry database
 * and no signing keys here; instead a {@link NodeAgent} registers the node, keeps its credential
 * and a cache of the authority's keys and the node's slices, and provides {@link NodeCache}, the
 * token verification the platform's authenticator uses (over the cached keys) and a health
 * check; and the acquisition services of a node ({@link JoinedNodeServices}).</li>
 * </ul>
 * The configuration is required, not optional: with defaults the component would start as an
 * authority before File Install delivers {@code etc/}, and make a registry and keys a joined node
 * must never have. The distribution ships {@code etc/dev.sliceplane.accounts.node.cfg} with an
 * empty {@code authorityUrl}. A changed configuration restarts the component, and with it the role.
 */
@Component(service = {}, immediate = true, configurationPid = NodeAccountsComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = NodeAccountsComponent.Config.class)
public final class NodeAccountsComponent {

    public static final String PID = "dev.sliceplane.accounts.node";
    static final String HEALTH_NAME = "accounts-node-cache";
    private static final Logger LOG = LoggerFactory.getLogger(NodeAccountsComponent.class);

    @ObjectClassDefinition(name = "Sliceplane accounts: node",
            description = "Whether this node is its own authority or has joined one, and how it keeps in touch.")
    public @interface Config {
        @AttributeDefinition(description = "Base URL of the authority this node has joined, such as "
                + "https://authority.example.org:8080. Empty: this node is its own authority.")
        String authorityUrl() default "";

        @AttributeDefinition(description = "This node's host name as registered at the authority. Empty: the "
                + "machine's canonical host name.")
        String hostname() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "One-time bootstrap token from the "
                + "authority, used when the node has no valid credential.")
        String bootstrapToken() default "";

        @AttributeDefinition(description = "A file holding the bootstrap token instead (read when needed).")
        String bootstrapTokenFile() default "";

        @AttributeDefinition(min = "5", max = "86400", description = "Seconds between refreshes from the authority.")
        int refreshSeconds() default 60;

        @AttributeDefinition(min = "0", description = "Seconds a stale cache is reported UP before WARN (default a day).")
        int staleWarnSeconds() default 86_400;

        @AttributeDefinition(min = "1", max = "300", description = "Timeout of each call to the authority, in seconds.")
        int timeoutSeconds() default 10;

        @AttributeDefinition(min = "1", max = "60", description = "A slice missing from the cache is asked of the "
                + "authority at once; the lookup waits at most this many seconds for the answer.")
        int sliceLookupTimeoutSeconds() default 3;

        @AttributeDefinition(min = "0", max = "3600", description = "Fewest seconds between two such on-demand "
                + "fetches, for all slice names together.")
        int sliceLookupIntervalSeconds() default 5;
    }

    private final ComponentContext component;
    private final List<String> endpoints;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ScheduledExecutorService ownExecutor;
    private final ScheduledFuture<?> refreshing;
    private final JoinedNodeServices acquisition;

    @Activate
    public NodeAccountsComponent(ComponentContext component, BundleContext context, Config config,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) ManagementSlice slice) {
        this.component = component;
        String authorityUrl = config.authorityUrl().strip();
        endpoints = authorityUrl.isEmpty() ? RoleEndpoints.AUTHORITY : RoleEndpoints.NODE;
        endpoints.forEach(component::enableComponent);
        if (authorityUrl.isEmpty()) {
            registrations.add(context.registerService(AuthorityRole.class, new AuthorityRole(), null));
            ownExecutor = null;
            refreshing = null;
            acquisition = null;
            return;
        }
        String hostname = config.hostname().isBlank() ? localHostname() : config.hostname().strip().toLowerCase(Locale.ROOT);
        Duration period = Duration.ofSeconds(config.refreshSeconds());
        NodeAgent agent;
        try {
            agent = new NodeAgent(AccountsPaths.accountsDirectory(context).resolve("node"), authorityUrl, hostname,
                    () -> bootstrapToken(config), period, Duration.ofSeconds(config.timeoutSeconds()), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the node's accounts directory", e);
        }
        LOG.info("Node {} follows authority {} (refresh every {} s)", hostname, authorityUrl, period.toSeconds());
        registrations.add(context.registerService(new String[] {TokenVerifier.class.getName(),
            CredentialVerifier.class.getName()}, agent.verifier(), null));
        registrations.add(context.registerService(NodeCache.class, agent, null));
        registrations.add(context.registerService(HealthCheck.class,
                new NodeCacheHealth(agent, Duration.ofSeconds(config.staleWarnSeconds())),
                new Hashtable<>(Map.of(HealthCheck.NAME, HEALTH_NAME))));
        acquisition = new JoinedNodeServices(context, agent, Duration.ofSeconds(config.sliceLookupTimeoutSeconds()),
                Duration.ofSeconds(config.sliceLookupIntervalSeconds()));
        Runnable round = () -> {
            agent.refresh();
            acquisition.update();
        };
        // Background work goes on the accounts slice when the platform provides one (a plain
        // framework, as in the bundle's own tests, has none).
        if (slice != null) {
            ownExecutor = null;
            refreshing = slice.scheduleAtFixedRate(round, Duration.ZERO, period);
        } else {
            ownExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "sliceplane-accounts-node");
                thread.setDaemon(true);
                return thread;
            });
            refreshing = ownExecutor.scheduleWithFixedDelay(round, 0, period.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        endpoints.forEach(component::disableComponent);
        if (refreshing != null) {
            refreshing.cancel(true);
        }
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
        if (acquisition != null) {
            acquisition.close();
        }
        for (int i = registrations.size() - 1; i >= 0; i--) {
            try {
                registrations.get(i).unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    private static String bootstrapToken(Config config) {
        if (!config.bootstrapToken().isBlank()) {
            return config.bootstrapToken().strip();
        }
        if (config.bootstrapTokenFile().isBlank()) {
            return "";
        }
        try {
            return Files.readString(Path.of(config.bootstrapTokenFile().strip()), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            LOG.warn("Cannot read the bootstrap token file {}: {}", config.bootstrapTokenFile(), e.getMessage());
            return "";
        }
    }

    /** The machine's canonical host name in lower case, the default name of a node. */
    public static String localHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
