package dev.sliceplane.monitor.internal.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import dev.sliceplane.monitor.internal.store.MonitorStore;
import dev.sliceplane.monitor.internal.store.SampleContext;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmSnapshot;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

/**
 * The query API's throughput beside a bare Jetty 12 handler serving the same bytes (run by
 * {@code bench/monitor-bench.sh}, which drives both with wrk; not a test). One JVM, two servers:
 * the {@link MonitorServlet} in a servlet context behind a stand-in for the platform's
 * authentication filter (it puts a caller on the request; the node's filter also checks a token),
 * over a {@link MonitorStore} fed a new sample of {@code SLIVERS} slivers every second (so the
 * rendered answers are replaced every second, as on a node sampling at 1 Hz); and a Jetty core
 * {@link Handler} answering each benchmarked path with the bytes the servlet gave for it at start.
 * A plain servlet beside the monitor's serves those bytes too ({@code /bare-servlet/api/v1/...}).
 *
 * <p>Arguments: {@code MONITOR_PORT BARE_PORT SLIVERS PATH...}. Prints {@code ready} when both
 * serve, then runs until killed.
 */
public final class QueryApiBench {

    public static void main(String[] args) throws Exception {
        int monitorPort = Integer.parseInt(args[0]);
        int barePort = Integer.parseInt(args[1]);
        int slivers = Integer.parseInt(args[2]);
        List<String> paths = List.of(args).subList(3, args.length);

        MonitorStore store = new MonitorStore(new Context());
        Feeder feeder = new Feeder(store, slivers);
        feeder.run();
        Thread.sleep(50);
        feeder.run(); // two samples: rates are known
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(feeder, 1, 1, TimeUnit.SECONDS);

        Server monitor = new Server();
        monitor.addConnector(connector(monitor, monitorPort));
        ServletContextHandler context = new ServletContextHandler();
        Caller caller = Caller.principal("bench@plc.test", "plc", Set.of(Roles.USER), "t1",
                Instant.now().plus(Duration.ofDays(1)));
        Filter authentication = (request, response, chain) -> {
            request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);
            chain.doFilter(request, response);
        };
        context.addFilter(new FilterHolder(authentication), "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder servlet = new ServletHolder(new MonitorServlet(store, store, Clock.systemUTC()));
        context.addServlet(servlet, MonitorServlet.PATH);
        context.addServlet(servlet, MonitorServlet.PATH + "/*");
        Map<String, byte[]> bodies = new HashMap<>();
        context.addServlet(new ServletHolder(new BareServlet(bodies)), BareServlet.PATH + "/*");
        monitor.setHandler(context);
        monitor.start();

        HttpClient client = HttpClient.newHttpClient();
        for (String path : paths) {
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + monitorPort + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + answer.statusCode() + " " + new String(answer.body()));
            }
            bodies.put(path, answer.body());
            System.out.printf("path %s: %d bytes%n", path, answer.body().length);
        }

        Server bare = new Server();
        bare.addConnector(connector(bare, barePort));
        bare.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                byte[] body = bodies.get(request.getHttpURI().getPathQuery());
                if (body == null) {
                    return false;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=0");
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        bare.start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * The same bytes from a plain servlet in the same context, behind the same filter: what the
     * servlet layer costs by itself, between the bare handler and the monitor.
     */
    private static final class BareServlet extends jakarta.servlet.http.HttpServlet {
        static final String PATH = "/bare-servlet";
        private static final long serialVersionUID = 1L;
        private final transient Map<String, byte[]> bodies;

        BareServlet(Map<String, byte[]> bodies) {
            this.bodies = bodies;
        }

        @Override
        protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                throws java.io.IOException {
            String uri = req.getRequestURI().substring(PATH.length());
            byte[] body = bodies.get(req.getQueryString() == null ? uri : uri + "?" + req.getQueryString());
            if (body == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType("application/json");
            resp.setHeader("Cache-Control", "max-age=0");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }

    private static ServerConnector connector(Server server, int port) {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        return connector;
    }

    /** A new sample every call: each sliver's counters move a little. */
    private static final class Feeder implements Runnable {
        private final MonitorStore store;
        private final String[] names;
        private final double[] cpu;
        private final Random random = new Random(42);
        private long sequence;

        Feeder(MonitorStore store, int slivers) {
            this.store = store;
            this.names = new String[slivers];
            this.cpu = new double[slivers];
            for (int i = 0; i < slivers; i++) {
                names[i] = String.format("site%03d_slice%03d", i / 10, i);
            }
        }

        @Override
        public void run() {
            Instant at = Instant.now();
            List<SliverUsage> usage = new ArrayList<>(names.length);
            for (int i = 0; i < names.length; i++) {
                cpu[i] += random.nextDouble() * 0.2;
                usage.add(new SliverUsage(names[i], SliverState.RUNNING, cpu[i], 50_000_000L + random.nextInt(1 << 20),
                        60_000_000L, 5, 1_000_000L, 1000L * sequence, 500L * sequence, 0));
            }
            NodeStatus node = new NodeStatus(at, true, 2, 0.5, 0.4, 0.3,
                    new NodeStatus.CpuTimes(1, 0, 1, 1, 0, 0, 0, 0), 0.3, 24L << 30, 12L << 30, 0, 0,
                    new NodeStatus.Filesystem("/", "/dev/vda", "ext4", 100L << 30, 50L << 30, 45L << 30), 1.7e9, 3600,
                    List.of(new NodeStatus.NetworkCounters("eth0", 5000L * sequence, 3000L * sequence)));
            store.sampled(new VmmSnapshot(++sequence, at, "simulated", true, node, usage));
        }
    }

    private static final class Context implements SampleContext {
        @Override
        public String hostname() {
            return "node1.bench";
        }

        @Override
        public Double clockOffsetSeconds() {
            return null;
        }

        @Override
        public List<SliceSnapshot> managementSlices() {
            return List.of();
        }

        @Override
        public Map<String, Instant> leaseEnds() {
            return Map.of();
        }

        @Override
        public Map<String, Long> memoryLimits() {
            return null;
        }

        @Override
        public Long memoryLimit(String sliver) {
            return null;
        }
    }
}
