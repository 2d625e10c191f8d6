package dev.sliceplane.accounts.internal.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.platform.api.security.Caller;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Just enough of a servlet container to call an accounts servlet directly: a request with a
 * method, a path split at the servlet's pattern, query parameters, a body and the caller the
 * platform's filter would have left on it (anonymous when null); and a response that records status, headers and body.
 * Both are dynamic proxies that answer the methods the servlets use and refuse every other one,
 * so a test notices when a servlet starts depending on more of the container.
 */
final class FakeHttp {

    private FakeHttp() {
    }

    /** What a servlet answered. */
    static final class Answer {
        int status = 200;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String body() {
            return body.toString(StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return AccountsJson.MAPPER.readTree(body.toByteArray());
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body(), e);
            }
        }

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body();
        }
    }

    /**
     * A request for {@code uri} (path and optional query) on a servlet registered at
     * {@code servletPath} and {@code servletPath/*}.
     */
    static HttpServletRequest request(String method, String servletPath, String uri, String contentType, byte[] body,
            Caller caller) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        String rawQuery = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "";
        if (!path.startsWith(servletPath)) {
            throw new IllegalArgumentException(path + " is not under " + servletPath);
        }
        String rawInfo = path.substring(servletPath.length());
        String pathInfo = rawInfo.isEmpty() ? null : URLDecoder.decode(rawInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
                        .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        // As the authentication filter leaves it: an anonymous caller where no credential came.
        attributes.put(Caller.REQUEST_ATTRIBUTE, caller == null ? Caller.ANONYMOUS : caller);
        ServletInputStream input = input(body == null ? new byte[0] : body);
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> pathInfo;
                    case "getServletPath" -> servletPath;
                    case "getRequestURI" -> path;
                    case "getQueryString" -> rawQuery.isEmpty() ? null : rawQuery;
                    case "getContentType" -> contentType;
                    case "getInputStream" -> input;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getParameterNames" -> Collections.enumeration(parameters.keySet());
                    case "getParameterValues" -> parameters.containsKey((String) args[0])
                            ? parameters.get((String) args[0]).toArray(String[]::new) : null;
                    case "getParameter" -> parameters.containsKey((String) args[0]) ? parameters.get((String) args[0]).get(0) : null;
                    case "getHeader" -> "Content-Type".equalsIgnoreCase((String) args[0]) ? contentType : null;
                    case "getDateHeader" -> -1L;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getRemoteAddr" -> "192.0.2.1";
                    case "toString" -> method + " " + uri;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("the fake request has no " + m.getName());
                });
    }

    /** A response that records into {@code answer}. */
    static HttpServletResponse response(Answer answer) {
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                answer.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        answer.status = (Integer) args[0];
                        yield null;
                    }
                    case "getStatus" -> answer.status;
                    case "setHeader", "addHeader" -> answer.headers.put((String) args[0], (String) args[1]);
                    case "getHeader" -> answer.headers.get((String) args[0]);
                    case "containsHeader" -> answer.headers.containsKey((String) args[0]);
                    case "setContentType" -> answer.headers.put("Content-Type", (String) args[0]);
                    case "getContentType" -> answer.headers.get("Content-Type");
                    case "setCharacterEncoding", "setContentLength", "setContentLengthLong" -> null;
                    case "getOutputStream" -> output;
                    case "isCommitted" -> false;
                    case "resetBuffer" -> {
                        answer.body.reset();
                        yield null;
                    }
                    case "toString" -> "response " + answer;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("the fake response has no " + m.getName());
                });
    }

    private static ServletInputStream input(byte[] body) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
