package dev.sliceplane.platform.api.acquisition;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The agent, where it runs in the same framework as the node's resource monitor (the all-in-one
 * authority): the monitor hands its capacity reports here instead of posting them to
 * {@code /api/v1/agent/reports}. Provided by the agent; used by the resource monitor. Thread-safe.
 *
 * @since 1.2
 */
@ProviderType
public interface ReportSink {

    /**
     * Takes the capacity report {@code reportJws} (a compact JWS, {@code typ capacity-report+jwt})
     * sent by node {@code callerHostname}, as {@code POST /api/v1/agent/reports} does.
     *
     * @return how often to report, the revoked tickets of the node and the agent's clock
     * @throws DeniedException when the report is refused
     */
    ReportAnswer accept(String callerHostname, String reportJws);
}
