package dev.sliceplane.platform.internal.http;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.Problem;

/**
 * The Jetty server's error handler: answers the errors Jetty raises before any servlet runs — a
 * request URI it refuses (an encoded slash, an empty segment, bad percent-encoding), a malformed
 * request line or header, a URI or header too long — with a problem body like every other error of
 * the API, instead of Jetty's HTML page.
 *
 * <p>Such a request never reached a route, and Jetty often hands this handler a stand-in for it
 * (its headers missing, its path replaced), so the answer depends only on the status and Jetty's
 * reason, never on {@code Accept}.
 * The reason is shown only when it is one of Jetty's fixed names of a URI violation, never text
 * that could carry request data or internals.
 */
final class ProblemErrorHandler implements Request.Handler {

    /** Jetty's names of the URI violations it refuses, such as "Ambiguous URI path separator". */
    private static final Set<String> URI_VIOLATIONS = Arrays.stream(UriCompliance.Violation.values())
            .map(UriCompliance.Violation::getDescription)
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Object code = request.getAttribute(ErrorHandler.ERROR_STATUS);
        int status = code instanceof Integer i && i >= 400 && i <= 599 ? i : 500;
        Object reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Problem problem = problemFor(status, reason == null ? null : reason.toString());

        response.setStatus(problem.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiPaths.PROBLEM_JSON + ";charset=utf-8");
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(problem.members())), callback);
        }
        return true;
    }

    /** The problem for an error Jetty raised with {@code status} and {@code reason} (may be null). */
    static Problem problemFor(int status, String reason) {
        if (status == 400 && reason != null && URI_VIOLATIONS.contains(reason)) {
            return Problem.of(400, "bad-request-uri", "Bad request URI", "the request URI is not accepted: " + reason);
        }
        return ProblemErrorPage.problemFor(status, "the requested path");
    }

    /** The mapper, made at the first error rather than while Jetty and the node start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
