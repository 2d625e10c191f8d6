package dev.sliceplane.agent.internal.broker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.agent.internal.agent.AgentComponent;
import dev.sliceplane.agent.internal.agent.Issuance;
import dev.sliceplane.agent.internal.agent.Problems;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.query.InvalidQueryException;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/v1/broker/requests}: tickets for a slice's members, its site's PIs and admins
 * (the slice check is the broker's). 200 {@code {"tickets":[{"node","url","ticket","id","expires"}]}}
 * (with {@code reasons} when a partial request got fewer than it asked for); problems otherwise.
 */
@Component(enabled = false, service = Servlet.class) // enabled by AgentComponent where the agent runs
@HttpWhiteboardServletPattern(BrokerServlet.PATH)
public final class BrokerServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/broker/requests";
    private static final long serialVersionUID = 1L;

    private final transient Broker broker;
    private final transient java.time.Duration defaultDuration;
    private final int maxCount;

    @Activate
    public BrokerServlet(@Reference AgentComponent component) {
        this(new Broker(component.agent(), component.slices(), component.directory()),
                component.defaultTicketDuration(), component.maxTicketsPerRequest());
    }

    BrokerServlet(Broker broker, java.time.Duration defaultDuration, int maxCount) {
        this.broker = broker;
        this.defaultDuration = defaultDuration;
        this.maxCount = maxCount;
    }

    @Override
    @Allow({Roles.ADMIN, Roles.PI, Roles.USER})
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!subPath(req).isEmpty()) {
            throw new ProblemException(Problem.notFound("no route POST " + req.getRequestURI()));
        }
        JsonNode body = readJson(req, JsonNode.class);
        try {
            TicketRequest request = TicketRequest.parse(body, defaultDuration, maxCount);
            Issuance issuance = broker.request(Caller.of(req), request);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("tickets", issuance.tickets());
            if (!issuance.refused().isEmpty()) {
                answer.put("reasons", Problems.reasons(issuance.refused()));
            }
            writeJson(resp, 200, answer);
        } catch (DeniedException e) {
            throw Problems.of(e);
        } catch (InvalidQueryException e) {
            throw Problems.of(e, "broker");
        }
    }
}
