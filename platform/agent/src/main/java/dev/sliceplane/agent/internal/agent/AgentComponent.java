package dev.sliceplane.agent.internal.agent;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.agent.internal.AgentPaths;
import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.platform.api.acquisition.AgentCertifier;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.ReportAnswer;
import dev.sliceplane.platform.api.acquisition.ReportSink;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.config.ConfiguredDurations;

/**
 * The agent at the authority: active only where the accounts bundle registers the authority-only
 * {@link AgentCertifier} and {@link NodeDirectory}. Keeps its key in {@code <data>/agent/agent.key}
 * and its ticket journal in {@code <data>/agent/tickets.jsonl}; its routes and the broker use it
 * through this service. The routes' components are disabled until this one enables them, so a
 * node without an agent has no unsatisfied endpoints (which would make its health DOWN).
 */
@Component(service = {AgentComponent.class, ReportSink.class}, immediate = true, configurationPid = AgentComponent.PID)
@Designate(ocd = AgentComponent.Config.class)
public final class AgentComponent implements ReportSink {

    static final String PID = "dev.sliceplane.agent";

    @ObjectClassDefinition(name = "Sliceplane agent", description = "The authority's agent and default broker.")
    public @interface Config {
        @AttributeDefinition(description = "The agent's name: its certificate's sub and its tickets' iss.")
        String name() default "agent";

        @AttributeDefinition(description = "How often nodes report (ISO-8601); a report older than three intervals is stale.")
        String reportInterval() default "PT10S";

        @AttributeDefinition(description = "How long an agent certificate is asked for (ISO-8601); renewed when a third is left.")
        String certificateValidity() default "P30D";

        @AttributeDefinition(description = "The longest ticket window (ISO-8601).")
        String maxTicketDuration() default "P1D";

        @AttributeDefinition(description = "The broker's ticket window when a request names none (ISO-8601).")
        String defaultTicketDuration() default "PT1H";

        @AttributeDefinition(description = "The most tickets one broker request may ask for.")
        int maxTicketsPerRequest() default 1000;
    }

    /** The components of the agent's and broker's routes, enabled while the agent runs. */
    static final List<String> ROUTES = List.of(AgentServlet.class.getName(),
            "dev.sliceplane.agent.internal.broker.BrokerServlet");

    private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);

    private final ComponentContext componentContext;
    private final TicketAgent agent;
    private final SliceDirectory slices;
    private final NodeDirectory directory;
    private final Duration defaultTicketDuration;
    private final int maxTicketsPerRequest;

    @Activate
    public AgentComponent(ComponentContext componentContext, BundleContext context, @Reference AgentCertifier certifier,
            @Reference NodeDirectory directory, @Reference SliceDirectory slices, Config config) throws IOException {
        var directoryPath = AgentPaths.agentDirectory(context);
        SecureRandom random = new SecureRandom();
        Ed25519PrivateKey key = Ed25519PrivateKey.loadOrCreate(directoryPath.resolve("agent.key"), random);
        AgentIdentity identity = new AgentIdentity(config.name(), key, certifier,
                ConfiguredDurations.positive(config.certificateValidity(), "certificateValidity"), Clock.systemUTC());
        this.agent = TicketAgent.open(identity, directory,
                new TicketAgent.Settings(ConfiguredDurations.positive(config.reportInterval(), "reportInterval"),
                        ConfiguredDurations.positive(config.maxTicketDuration(), "maxTicketDuration")),
                Clock.systemUTC(), random, directoryPath.resolve("tickets.jsonl"));
        this.slices = slices;
        this.directory = directory;
        this.defaultTicketDuration = ConfiguredDurations.positive(config.defaultTicketDuration(), "defaultTicketDuration");
        this.maxTicketsPerRequest = Math.max(1, config.maxTicketsPerRequest());
        this.componentContext = componentContext;
        try {
            identity.certificate(); // at start, as the contract asks; failures are retried on use
        } catch (RuntimeException e) {
            LOG.warn("no agent certificate at start; retried when a ticket is issued: {}", e.getMessage());
        }
        ROUTES.forEach(componentContext::enableComponent);
    }

    @Deactivate
    void deactivate(int reason) {
        // When the bundle stops, SCR disposes of the routes itself; disabling them then is only
        // refused, with a warning at every shutdown.
        if (reason != ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED
                && reason != ComponentConstants.DEACTIVATION_REASON_DISPOSED) {
            ROUTES.forEach(componentContext::disableComponent);
        }
        agent.close();
    }

    public TicketAgent agent() {
        return agent;
    }

    public SliceDirectory slices() {
        return slices;
    }

    public NodeDirectory directory() {
        return directory;
    }

    public Duration defaultTicketDuration() {
        return defaultTicketDuration;
    }

    public int maxTicketsPerRequest() {
        return maxTicketsPerRequest;
    }

    @Override
    public ReportAnswer accept(String callerHostname, String reportJws) {
        return agent.accept(callerHostname, reportJws);
    }
}
