package dev.sliceplane.platform.internal.http;

import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;

/**
 * A connector that accepts nothing: while it runs, its server answers errors with {@code
 * errorHandler}; when it stops, the server gets its previous error handler back. It is how {@link
 * ProblemErrorHandlerInstaller} reaches the server, since Felix HTTP hands the Jetty server only to
 * the connectors it asks its {@code ConnectorFactory} services for.
 */
final class ErrorHandlerConnector extends AbstractConnector {

    private final Request.Handler errorHandler;
    /** The handler {@link #errorHandler} replaced; guarded by the lifecycle's lock (start and stop). */
    private Request.Handler replaced;

    ErrorHandlerConnector(Server server, Request.Handler errorHandler) {
        // No acceptor threads: this connector never takes a connection.
        super(server, null, null, null, 0, new HttpConnectionFactory());
        this.errorHandler = errorHandler;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Server server = getServer();
        replaced = server.getErrorHandler();
        server.setErrorHandler(errorHandler);
        // Felix lists every connector of the server as an HTTP endpoint, and fails to start Jetty on
        // one that is not a ServerConnector, so this one leaves the list: it serves nobody. Felix still
        // holds it and stops it when the server stops or the ConnectorFactory service goes.
        server.removeConnector(this);
    }

    @Override
    protected void doStop() throws Exception {
        Server server = getServer();
        if (server.getErrorHandler() == errorHandler) {
            server.setErrorHandler(replaced);
        }
        replaced = null;
        super.doStop();
    }

    @Override
    protected void accept(int acceptorId) {
        throw new UnsupportedOperationException("this connector has no acceptors");
    }

    @Override
    public Object getTransport() {
        return null;
    }
}
