package dev.sliceplane.accounts.internal.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.accounts.internal.credentials.AuthorityComponent;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.security.Anonymous;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/accounts/jwks.json}: the authority's published public keys as a JWK Set
 * (RFC 7517, OKP keys per RFC 8037), cacheable for the configured max-age, with a strong ETag of
 * its content and 304 on {@code If-None-Match} (nodes poll it). Anonymous by design: anyone
 * verifying a token needs it.
 */
@Component(enabled = false, service = Servlet.class, property = Anonymous.PROPERTY + "=GET")
@HttpWhiteboardServletPattern(JwksServlet.PATH)
public final class JwksServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/accounts/jwks.json";
    static final String MEDIA_TYPE = "application/jwk-set+json";
    private static final long serialVersionUID = 1L;

    private final transient AuthorityComponent authority;

    @Activate
    public JwksServlet(@Reference AuthorityComponent authority) {
        this.authority = authority;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = JSON.writeValueAsBytes(authority.jwks());
        String etag = ETags.of(body);
        resp.setHeader("Cache-Control", "public, max-age=" + authority.jwksMaxAgeSeconds());
        resp.setHeader("ETag", etag);
        if (ETags.matches(req.getHeader("If-None-Match"), etag)) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(MEDIA_TYPE);
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
