package dev.sliceplane.it.bundles.vmmprobe;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.api.VmmStatusListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Test-only: a status hook and an Event Admin handler that record what they see, and a way to
 * drive the {@link Vmm} service over HTTP. {@code GET /api/v1/it/vmm} reports samples and
 * events; {@code POST /api/v1/it/vmm/create?name=&memory=}, {@code .../launch?name=&cmd=a&cmd=b},
 * {@code .../kill?name=} and {@code .../destroy?name=} act on slivers.
 */
@Component(service = {Servlet.class, VmmStatusListener.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + VmmEvent.TOPIC_PREFIX + "*")
@HttpWhiteboardServletPattern("/api/v1/it/vmm/*")
public final class VmmProbe extends ApiServlet implements VmmStatusListener, EventHandler {

    private static final long serialVersionUID = 1L;

    private final transient Vmm vmm;
    private final transient AtomicLong samples = new AtomicLong();
    private final transient AtomicLong lastSequence = new AtomicLong();
    private final transient List<String> hookEvents = new CopyOnWriteArrayList<>();
    private final transient List<String> adminEvents = new CopyOnWriteArrayList<>();

    @Activate
    public VmmProbe(@Reference Vmm vmm) {
        this.vmm = vmm;
    }

    @Override
    public void sampled(VmmSnapshot snapshot) {
        samples.incrementAndGet();
        lastSequence.set(snapshot.sequence());
    }

    @Override
    public void event(VmmEvent event) {
        hookEvents.add(event.kind() + ":" + event.sliver() + (event.exitCode() == null ? "" : ":" + event.exitCode()));
    }

    @Override
    public void handleEvent(Event event) {
        Object exit = event.getProperty(VmmEvent.PROPERTY_EXIT_CODE);
        adminEvents.add(event.getTopic() + ":" + event.getProperty(VmmEvent.PROPERTY_SLIVER)
                + (exit == null ? "" : ":" + exit));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("samples", samples.get());
        body.put("lastSequence", lastSequence.get());
        body.put("hookEvents", hookEvents);
        body.put("adminEvents", adminEvents);
        writeJson(resp, 200, body);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getParameter("name");
        Object result = switch (subPath(req)) {
            case "create" -> vmm.create(new SliverSpec(name, memoryLimit(req.getParameter("memory"))));
            case "launch" -> vmm.launch(name, new ProgramSpec(Arrays.asList(req.getParameterValues("cmd")), Map.of(),
                    ""));
            case "kill" -> {
                vmm.kill(name);
                yield Map.of("killed", name);
            }
            case "destroy" -> {
                vmm.destroy(name);
                yield Map.of("destroyed", name);
            }
            default -> Map.of("unknown", subPath(req));
        };
        writeJson(resp, 200, result);
    }

    private static Limits memoryLimit(String memory) {
        return memory == null ? Limits.NONE : Limits.NONE.withMemoryBytes(Long.valueOf(memory));
    }
}
