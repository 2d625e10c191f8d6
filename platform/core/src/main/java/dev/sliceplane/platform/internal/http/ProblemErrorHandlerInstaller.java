package dev.sliceplane.platform.internal.http;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Component;

/**
 * Makes the Jetty server answer the errors it raises before any servlet runs (a refused request
 * URI, a malformed request) with problem bodies, through {@link ProblemErrorHandler}; the errors
 * of routes and servlets are {@link ProblemErrorPage}'s.
 *
 * <p>Felix HTTP has no setting for the server's error handler, and the only extension point it
 * hands the Jetty server to is its {@code ConnectorFactory} whiteboard: it asks every such service
 * for a connector once the server has started, again for each new server when a configuration
 * change restarts Jetty, and stops that connector when the server stops or the service goes. So
 * this service answers with an {@link ErrorHandlerConnector}, which installs the handler while it
 * runs and puts the previous one back when it stops (Jetty's, or Felix's own when {@code
 * org.apache.felix.http.jetty.errorPageCustomHeaders} is set: its headers are not sent meanwhile).
 */
@Component(service = ConnectorFactory.class)
public final class ProblemErrorHandlerInstaller implements ConnectorFactory {

    @Override
    public Connector createConnector(Server server) {
        return new ErrorHandlerConnector(server, new ProblemErrorHandler());
    }
}
