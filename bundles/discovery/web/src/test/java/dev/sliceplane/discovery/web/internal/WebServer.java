package dev.sliceplane.discovery.web.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.security.Roles;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;

/**
 * The bundle's servlets in a plain Jetty on a free loopback port (the Jetty the node's whiteboard
 * embeds), behind a stand-in for the platform's authentication filter that lets in one user.
 */
final class WebServer implements AutoCloseable {

    private final Server server = new Server();
    private final ServletContextHandler handler = new ServletContextHandler();
    private final ServerConnector connector = new ServerConnector(server);

    WebServer() {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Filter authentication = (request, response, chain) -> {
            request.setAttribute(Caller.REQUEST_ATTRIBUTE, Caller.principal("alice@princeton.test", "princeton",
                    Set.of(Roles.USER), "t1", Instant.now().plusSeconds(3600)));
            chain.doFilter(request, response);
        };
        handler.addFilter(new FilterHolder(authentication), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    WebServer serve(Servlet servlet, String... patterns) {
        ServletHolder holder = new ServletHolder(servlet);
        for (String pattern : patterns) {
            handler.addServlet(holder, pattern);
        }
        return this;
    }

    String start() throws Exception {
        server.setHandler(handler);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
