package dev.sliceplane.accounts.internal.acquisition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.internal.AccountsPaths;
import dev.sliceplane.accounts.internal.AuthorityRole;
import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.accounts.internal.credentials.PrivateFiles;
import dev.sliceplane.accounts.internal.node.NodeAccountsComponent;
import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * On the all-in-one authority, its own node ({@link OwnNode}): registered in the registry, with an
 * identity key kept in {@code <data>/accounts/authority-node/node.key} (apart from a joined node's
 * {@code accounts/node/}, so a later change of role never mixes the two credentials), and a node
 * credential issued at once and renewed when due (checked every {@value #CHECK_SECONDS} s). It
 * registers {@link NodeSigner} (no authority URL: reports go in-process) only while a valid
 * credential is held.
 *
 * <p>The node's name is, first found: {@code hostname} of {@code dev.sliceplane.accounts.node} (the
 * setting a joined node uses), {@code name} of the platform's node identity {@code dev.sliceplane.node}
 * (read through Configuration Admin, without creating it), the machine's canonical host name; its
 * site is {@code site} of {@code dev.sliceplane.node}, else {@value #DEFAULT_SITE} (that
 * configuration's default). Names are taken in lower case. A change of either configuration
 * takes effect at the component's next start.
 */
@Component(immediate = true, service = {}, configurationPid = NodeAccountsComponent.PID)
public final class OwnNodeComponent {

    static final String NODE_IDENTITY_PID = "dev.sliceplane.node";
    static final String DEFAULT_SITE = "local";
    static final long CHECK_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(OwnNodeComponent.class);

    /** The one key of {@code dev.sliceplane.accounts.node} this component reads. */
    public @interface Config {
        String hostname() default "";
    }

    private final BundleContext context;
    private final OwnNode node;
    private final ScheduledExecutorService ownExecutor;
    private final ScheduledFuture<?> checking;
    // Guarded by this.
    private ServiceRegistration<NodeSigner> signer;
    private boolean closed;

    /** Runs only on an authority ({@link AuthorityRole}) with its registry open. */
    @Activate
    public OwnNodeComponent(BundleContext context, Config config, @Reference AuthorityRole role,
            @Reference Registry registry, @Reference AuthorityComponent authority,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ConfigurationAdmin configAdmin,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) ManagementSlice slice) {
        this.context = context;
        Optional<Dictionary<String, Object>> identity = nodeIdentity(configAdmin);
        String hostname = first(config.hostname(), identity.map(d -> d.get("name")).orElse(null),
                NodeAccountsComponent.localHostname());
        String site = first(identity.map(d -> d.get("site")).orElse(null), DEFAULT_SITE, DEFAULT_SITE);
        Path directory = AccountsPaths.accountsDirectory(context).resolve("authority-node");
        Ed25519PrivateKey key;
        try {
            PrivateFiles.ensureDirectory(directory);
            key = Ed25519PrivateKey.loadOrCreate(directory.resolve("node.key"), new SecureRandom());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the authority's own node key in " + directory, e);
        }
        this.node = new OwnNode(registry, authority, key, hostname, site, Clock.systemUTC());
        Duration period = Duration.ofSeconds(CHECK_SECONDS);
        if (slice != null) {
            ownExecutor = null;
            checking = slice.scheduleAtFixedRate(this::check, Duration.ZERO, period);
        } else {
            ownExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "sliceplane-accounts-own-node");
                thread.setDaemon(true);
                return thread;
            });
            checking = ownExecutor.scheduleWithFixedDelay(this::check, 0, CHECK_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        checking.cancel(true);
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
        synchronized (this) {
            closed = true;
            unregister();
        }
    }

    private void check() {
        boolean valid;
        try {
            valid = node.ensure().isPresent();
        } catch (RuntimeException e) {
            LOG.warn("Checking the authority's own node failed", e);
            valid = false;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (valid && signer == null) {
                signer = context.registerService(NodeSigner.class,
                        new KeyNodeSigner(node.hostname(), node.key(), node::credential, Optional.empty()), null);
                LOG.info("The authority's own node {} signs with its registered key (NodeSigner)", node.hostname());
            } else if (!valid && signer != null) {
                unregister();
            }
        }
    }

    private void unregister() {
        if (signer != null) {
            try {
                signer.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            signer = null;
        }
    }

    /** The platform's node identity, if configured; never created here (that would bind it to this bundle). */
    private static Optional<Dictionary<String, Object>> nodeIdentity(ConfigurationAdmin configAdmin) {
        if (configAdmin == null) {
            return Optional.empty();
        }
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + NODE_IDENTITY_PID + ")");
            return found == null || found.length == 0 ? Optional.empty() : Optional.ofNullable(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            LOG.debug("Cannot read the node identity {}: {}", NODE_IDENTITY_PID, e.getMessage());
            return Optional.empty();
        }
    }

    /** The first non-blank value, stripped and in lower case. */
    static String first(Object... values) {
        for (Object value : values) {
            if (value != null && !value.toString().isBlank()) {
                return value.toString().strip().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
