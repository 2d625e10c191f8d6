package dev.sliceplane.it.bundles.greeter.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.it.bundles.greeter.api.Greeter;
import dev.sliceplane.platform.api.http.ApiServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A greeter consumer with a dynamic, greedy reference, as sub-service consumers are written.
 * {@code GET .../greet} calls the greeter once; {@code POST .../load} starts threads calling it
 * in a loop, {@code DELETE .../load} stops them; {@code POST .../bind-work?millis=N} makes each
 * rebind take N ms; {@code GET .../greet?acrossRebindMillis=N} holds the greeter until a swap
 * rebinds the consumer (at most N ms) before calling it; {@code GET .../stats} reports calls,
 * failures, which implementation answered, activations and rebinds.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/v1/it/greeter/*")
public final class GreeterClient extends ApiServlet {

    private static final long serialVersionUID = 1L;
    /** Activations across the bundle's life: a swap must not add any. */
    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();

    private transient volatile Greeter greeter;
    private final transient AtomicLong binds = new AtomicLong();
    private final transient LongAdder calls = new LongAdder();
    private final transient LongAdder failures = new LongAdder();
    private final transient Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
    private final transient Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private transient volatile Thread[] load = new Thread[0];
    private transient ServiceRegistration<EventListenerHook> registrations;
    /** Per greeter service id: when its latest registration or change was dispatched. */
    private final transient Map<Long, Long> greeterEvents = new ConcurrentHashMap<>();
    /** For each rebind: nanoseconds from that dispatch to the bind method. */
    private final transient Queue<Long> rebindNanos = new ConcurrentLinkedQueue<>();
    /** For each rebind: nanoseconds of it that the dispatching thread waited for a CPU (Linux only). */
    private final transient Queue<Long> rebindRunQueueNanos = new ConcurrentLinkedQueue<>();
    /** Rebinds by the scheduling policy of the thread that ran them (Linux's numbers: 0 normal, 1 FIFO). */
    private final transient Map<Integer, LongAdder> rebindPolicies = new ConcurrentHashMap<>();
    /** The dispatching thread's run-queue time when it noted the event. */
    private static final ThreadLocal<Long> RUN_QUEUE_AT_EVENT = new ThreadLocal<>();
    /** How long each rebind takes in the bind method, as a consumer's would that does work there. */
    private transient volatile long bindWorkMillis;
    /** Paused calls holding a greeter right now. */
    private final transient AtomicInteger paused = new AtomicInteger();

    @Activate
    void activate(BundleContext context) {
        ACTIVATIONS.incrementAndGet();
        registrations = context.registerService(EventListenerHook.class, this::noteGreeterEvent, null);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        registrations.unregister();
        stopLoad();
    }

    /**
     * Notes when a greeter service is registered or changed. A listener hook runs before the
     * event reaches any listener, the component runtime's included, which rebinds this consumer
     * inside that delivery: so bind time minus this time is the rebind latency a swap causes.
     */
    private void noteGreeterEvent(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        String[] classes = (String[]) event.getServiceReference().getProperty(Constants.OBJECTCLASS);
        if (event.getType() != ServiceEvent.UNREGISTERING && Arrays.asList(classes).contains(Greeter.class.getName())) {
            RUN_QUEUE_AT_EVENT.set(runQueueNanos()); // read before the clock, so the read is not timed
            greeterEvents.put((Long) event.getServiceReference().getProperty(Constants.SERVICE_ID), System.nanoTime());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MANDATORY, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindGreeter(Greeter g, Map<String, Object> properties) {
        greeter = g;
        binds.incrementAndGet();
        Long registered = greeterEvents.get((Long) properties.get(Constants.SERVICE_ID));
        if (registered != null) {
            rebindNanos.add(System.nanoTime() - registered);
            Long queuedBefore = RUN_QUEUE_AT_EVENT.get();
            long queuedNow = runQueueNanos();
            if (queuedBefore != null && queuedBefore >= 0 && queuedNow >= 0) {
                rebindRunQueueNanos.add(queuedNow - queuedBefore);
            }
            workInBind();
            // Read at the end, so it tells whether the thread was still real-time when the rebind was done.
            rebindPolicies.computeIfAbsent(schedulingPolicy(), k -> new LongAdder()).increment();
        }
    }

    private void workInBind() {
        long millis = bindWorkMillis;
        if (millis > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    /** The calling thread's scheduling policy, field 41 of {@code /proc/thread-self/stat}; -1 where there is none. */
    private static int schedulingPolicy() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * How long the calling thread has been runnable but waiting for a CPU, in nanoseconds: the
     * second field of {@code /proc/thread-self/schedstat}; -1 where there is none.
     */
    private static long runQueueNanos() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    void unbindGreeter(Greeter g) {
        // The replacement, if any, is already bound; clear only if nothing replaced this one.
        if (greeter == g) {
            greeter = null;
        }
    }

    private String callOnce() {
        calls.increment();
        Greeter g = greeter;
        if (g == null) {
            failures.increment();
            lastFailure.put("last", "no greeter bound");
            return null;
        }
        try {
            String answer = g.greet("world");
            answeredBy.computeIfAbsent(answer.substring(0, answer.indexOf(':')), k -> new LongAdder()).increment();
            return answer;
        } catch (RuntimeException e) {
            failures.increment();
            // Tell a call that started before the rebind from one made on a still-bound service.
            lastFailure.put("last", e + (greeter == g ? " (still bound)" : " (stale: already rebound)"));
            return null;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (subPath(req)) {
            case "greet" -> {
                String across = req.getParameter("acrossRebindMillis");
                if (across == null) {
                    String answer = callOnce();
                    writeJson(resp, answer == null ? 503 : 200, Map.of("greeting", String.valueOf(answer)));
                } else {
                    callAcrossRebind(Long.parseLong(across), resp);
                }
            }
            case "stats" -> writeJson(resp, 200, stats());
            default -> resp.sendError(404);
        }
    }

    /**
     * Reads the bound greeter, waits until the consumer has been rebound to another one (at most
     * {@code maxMillis}), then calls the one it read: a call in flight across a swap. The answer
     * says whether the rebind happened, so a test knows it met that case.
     */
    private void callAcrossRebind(long maxMillis, HttpServletResponse resp) throws IOException {
        Greeter g = greeter;
        paused.incrementAndGet();
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        try {
            while (greeter == g && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(20); // past the unbind that follows the bind, well within the swap's drain
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            paused.decrementAndGet();
        }
        boolean rebound = greeter != g;
        try {
            writeJson(resp, 200, Map.of("greeting", g.greet("world"), "rebound", rebound));
        } catch (RuntimeException e) {
            writeJson(resp, 503, Map.of("failure", e.toString(), "rebound", rebound));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("bind-work".equals(subPath(req))) {
            bindWorkMillis = Long.parseLong(req.getParameter("millis"));
            writeJson(resp, 200, Map.of("bindWorkMillis", bindWorkMillis));
            return;
        }
        int threads = Integer.parseInt(req.getParameter("threads") == null ? "4" : req.getParameter("threads"));
        Thread[] started = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            started[i] = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    callOnce();
                }
            }, "it-greeter-load-" + i);
            started[i].start();
        }
        load = started;
        writeJson(resp, 202, stats());
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            stopLoad();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeJson(resp, 200, stats());
    }

    private void stopLoad() throws InterruptedException {
        Thread[] running = load;
        load = new Thread[0];
        for (Thread t : running) {
            t.interrupt();
        }
        for (Thread t : running) {
            t.join(5000);
        }
    }

    private Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("activations", ACTIVATIONS.get());
        stats.put("binds", binds.get());
        stats.put("calls", calls.sum());
        stats.put("failures", failures.sum());
        Map<String, Long> by = new LinkedHashMap<>();
        answeredBy.forEach((k, v) -> by.put(k, v.sum()));
        stats.put("answeredBy", by);
        stats.put("lastFailure", lastFailure.getOrDefault("last", ""));
        stats.put("pausedCalls", paused.get());
        stats.put("rebindNanos", List.copyOf(rebindNanos));
        stats.put("rebindRunQueueNanos", List.copyOf(rebindRunQueueNanos));
        Map<String, Long> policies = new LinkedHashMap<>();
        rebindPolicies.forEach((k, v) -> policies.put(k.toString(), v.sum()));
        stats.put("rebindPolicies", policies);
        return stats;
    }
}
