package dev.sliceplane.cli.commands;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.cli.http.ApiClient;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.http.ApiProblemException;
import dev.sliceplane.cli.auth.Session;

/**
 * Authenticated calls: each carries the session's bearer token. A 401 (a token the node no longer
 * accepts, e.g. after its keys changed) is retried once with a silent login when an API key is at
 * hand; otherwise the session says how to get a token. A caller without any token still sends
 * the request, so an unreachable node is reported as such, not as "not logged in". Retrying is
 * safe for every method: a 401 means the node did not act on the request.
 */
final class NodeApi {

    private final ApiClient client;
    private final Session session;

    NodeApi(ApiClient client, Session session) {
        this.client = client;
        this.session = session;
    }

    JsonNode get(ApiPath path) {
        return call("GET", path, null);
    }

    JsonNode post(ApiPath path, JsonNode body) {
        return call("POST", path, body);
    }

    JsonNode put(ApiPath path, JsonNode body) {
        return call("PUT", path, body);
    }

    JsonNode patch(ApiPath path, JsonNode body) {
        return call("PATCH", path, body);
    }

    JsonNode delete(ApiPath path) {
        return call("DELETE", path, null);
    }

    private JsonNode call(String method, ApiPath path, JsonNode body) {
        Optional<String> token = session.currentToken();
        try {
            return client.send(method, path.toString(), body, token.orElse(null));
        } catch (ApiProblemException refused) {
            if (refused.status() != 401) {
                throw refused;
            }
            if (token.isPresent() && session.canLogInSilently()) {
                try {
                    return client.send(method, path.toString(), body, session.logInSilently());
                } catch (ApiProblemException again) {
                    throw again.status() == 401 ? again.withHint("the node refused a fresh token too") : again;
                }
            }
            throw session.refused(refused);
        }
    }
}
