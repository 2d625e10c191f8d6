package dev.sliceplane.platform.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Caps request bodies: a declared length over the cap is answered 413 before anything is read,
 * and a body without a declared length is cut off at the cap. Bundle uploads have a larger cap.
 */
@Component(service = Filter.class, configurationPid = "dev.sliceplane.http")
@HttpWhiteboardFilterPattern("/*")
@Designate(ocd = RequestLimitFilter.Config.class)
public final class RequestLimitFilter implements Filter {

    @ObjectClassDefinition(name = "Sliceplane HTTP limits", description = "Limits on requests to the node's HTTP API.")
    public @interface Config {
        @AttributeDefinition(description = "Largest request body, in bytes, except bundle uploads.")
        long maxBodyBytes() default 1 << 20;

        @AttributeDefinition(description = "Largest bundle upload to " + ApiPaths.PREFIX + "/bundles, in bytes.")
        long maxUploadBytes() default 64L << 20;
    }

    private final Config config;

    @Activate
    public RequestLimitFilter(Config config) {
        this.config = config;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        long limit = req.getRequestURI().startsWith(ApiPaths.PREFIX + "/bundles")
                ? config.maxUploadBytes() : config.maxBodyBytes();
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            ApiServlet.sendProblem((HttpServletResponse) response, tooLarge(limit));
            return;
        }
        chain.doFilter(declared >= 0 ? req : new LimitedRequest(req, limit), response);
    }

    private static Problem tooLarge(long limit) {
        return Problem.of(413, "payload-too-large", "Payload too large",
                "the request body exceeds the limit of " + limit + " bytes").with("limit", limit);
    }

    /** A request whose body stream fails with 413 once more than {@code limit} bytes are read. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private static final long DISCARD_CAP = 16L << 20;

        private final ServletInputStream in;
        private final long limit;
        private long read;

        LimitedStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                discardRest();
                throw new ProblemException(tooLarge(limit));
            }
        }

        /**
         * Reads and drops what is left of a moderately oversized body, so the client, still
         * sending, gets the 413 instead of a reset connection. Beyond the cap the connection closes.
         */
        private void discardRest() throws IOException {
            byte[] sink = new byte[8192];
            long dropped = 0;
            int n;
            while (dropped < DISCARD_CAP && (n = in.read(sink)) >= 0) {
                dropped += n;
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
