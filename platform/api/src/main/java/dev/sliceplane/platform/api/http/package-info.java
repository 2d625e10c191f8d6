/**
 * The HTTP conventions every sub-service follows: routes under {@value
 * dev.sliceplane.platform.api.http.ApiPaths#PREFIX}, JSON in and out, and errors as RFC 9457
 * problem details. Endpoints are servlet whiteboard components extending {@link ApiServlet}.
 *
 * <p>1.1: {@link ApiServlet} authorizes each call by the method's {@code
 * dev.sliceplane.platform.api.security.Allow} before dispatching it.
 *
 * <p>1.3: {@link LazyHttpClient}, an HTTP client built on first use.
 *
 * <p>1.4: {@link Problem#members()}, the document's members in writing order.
 */
@Export
@Version("1.4.0")
package dev.sliceplane.platform.api.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
