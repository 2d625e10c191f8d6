package dev.sliceplane.it.bundles.greeter.observer;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.AllServiceListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Listens to greeter services without consuming one, as a log or an event bridge does: a swap
 * tells its consumers first, and must tell this bundle too. {@code GET /api/v1/it/greeter-observer}
 * answers the ranking each registered greeter service has and the ranking this listener last
 * heard for it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/it/greeter-observer")
public final class GreeterObserver extends ApiServlet implements AllServiceListener {

    private static final long serialVersionUID = 1L;
    private static final String FILTER = "(objectClass=dev.sliceplane.it.bundles.greeter.api.Greeter)";

    private transient BundleContext context;
    private final transient Map<Long, Object> heard = new ConcurrentHashMap<>();

    @Activate
    void activate(BundleContext context) throws InvalidSyntaxException {
        this.context = context;
        context.addServiceListener(this, FILTER);
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(this);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        Long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            heard.remove(id);
        } else {
            heard.put(id, String.valueOf(ref.getProperty(Constants.SERVICE_RANKING)));
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> registered = new TreeMap<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, FILTER);
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                registered.put(String.valueOf(ref.getProperty(Constants.SERVICE_ID)),
                        String.valueOf(ref.getProperty(Constants.SERVICE_RANKING)));
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> heardNow = new TreeMap<>();
        heard.forEach((id, ranking) -> heardNow.put(String.valueOf(id), ranking));
        writeJson(resp, 200, Map.of("registered", registered, "heard", heardNow));
    }
}
