import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * Reference server for bench/health-load.sh: the JDK's built-in HTTP server answering every
 * GET with a fixed JSON body (the node's own health response, read from a file). It does no
 * work per request, so its figure is roughly what the load generator and the loopback can
 * drive on this machine; it is not a goal.
 *
 * Run from source: java bench/HealthPeer.java PORT BODY_FILE [THREADS]
 */
public final class HealthPeer {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        System.out.println("HealthPeer listening on 127.0.0.1:" + port);
    }
}
