package dev.sliceplane.agent.internal.agent;

import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import jakarta.servlet.http.HttpServlet;

/** Lets tests in other packages build the agent's servlet without OSGi. */
public final class AgentServletAccess {

    private AgentServletAccess() {
    }

    public static HttpServlet servlet(TicketAgent agent, SliceDirectory slices) {
        return new AgentServlet(agent, slices);
    }
}
