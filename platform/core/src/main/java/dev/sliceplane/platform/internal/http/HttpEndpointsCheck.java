package dev.sliceplane.platform.internal.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.ErrorPageDTO;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;

/**
 * DOWN until every HTTP endpoint the node's components declare is served: a servlet component
 * that is not yet satisfied, a servlet service the whiteboard refused, or one it does not list at
 * all. Until then a client could get a 404 for a route that exists, so the node is not ready.
 */
@Component(property = {HealthCheck.NAME + "=http-endpoints", HealthCheck.INTERVAL_SECONDS + ":Long=1"})
public final class HttpEndpointsCheck implements HealthCheck {

    private static final String SERVLET = "jakarta.servlet.Servlet";
    private static final String WHITEBOARD_SERVLETS = "(&(objectClass=" + SERVLET + ")"
            + "(|(osgi.http.whiteboard.servlet.pattern=*)(osgi.http.whiteboard.servlet.errorPage=*)))";

    private final BundleContext context;
    private final HttpServiceRuntime runtime;
    private final ServiceComponentRuntime scr;

    @Activate
    public HttpEndpointsCheck(BundleContext context, @Reference HttpServiceRuntime runtime,
            @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.runtime = runtime;
        this.scr = scr;
    }

    @Override
    public HealthResult check() throws InvalidSyntaxException {
        List<String> problems = new ArrayList<>(unsatisfiedEndpointComponents());
        RuntimeDTO dto = runtime.getRuntimeDTO();
        Set<Long> served = new HashSet<>();
        for (ServletContextDTO ctx : dto.servletContextDTOs) {
            for (ServletDTO servlet : ctx.servletDTOs) {
                served.add(servlet.serviceId);
            }
            for (ErrorPageDTO page : ctx.errorPageDTOs) {
                served.add(page.serviceId);
            }
        }
        Set<Long> failed = new HashSet<>();
        for (FailedServletDTO servlet : dto.failedServletDTOs) {
            failed.add(servlet.serviceId);
            problems.add(servlet.name + " refused by the HTTP whiteboard (reason " + servlet.failureReason + ")");
        }
        ServiceReference<?>[] refs = context.getAllServiceReferences(SERVLET, WHITEBOARD_SERVLETS);
        int total = refs == null ? 0 : refs.length;
        if (refs != null) {
            for (ServiceReference<?> ref : refs) {
                long id = (Long) ref.getProperty(Constants.SERVICE_ID);
                if (!served.contains(id) && !failed.contains(id)) {
                    problems.add("servlet service " + id + " of " + ref.getBundle().getSymbolicName()
                            + " is not served by the HTTP whiteboard");
                }
            }
        }
        return problems.isEmpty()
                ? HealthResult.up(total + " endpoints served")
                : HealthResult.down(String.join("; ", problems));
    }

    /** Servlet components of active bundles whose references are not satisfied. */
    private List<String> unsatisfiedEndpointComponents() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.serviceInterfaces == null || !List.of(description.serviceInterfaces).contains(SERVLET)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || configuration.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION
                        || configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add(description.name + " is not available" + (configuration.failure == null ? ""
                            : ": " + configuration.failure.lines().findFirst().orElse("")));
                }
            }
        }
        return problems;
    }
}
