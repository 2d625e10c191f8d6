package dev.sliceplane.agent.internal;

/**
 * Where capacity reports go in-process: the agent, when it runs in the same framework as the
 * reporter (the all-in-one authority). A service private to this bundle.
 */
public interface ReportSink {

    /**
     * Takes the report {@code reportJws} sent by node {@code callerHostname}, as {@code POST
     * /api/v1/agent/reports} does.
     *
     * @throws dev.sliceplane.platform.api.acquisition.DeniedException when the report is refused
     */
    ReportAnswer accept(String callerHostname, String reportJws);
}
