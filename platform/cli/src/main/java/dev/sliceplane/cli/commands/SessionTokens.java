package dev.sliceplane.cli.commands;

import java.util.Objects;

import dev.sliceplane.cli.auth.Session;
import dev.sliceplane.client.BearerToken;

/**
 * The session's token for the service manager's many requests: read once (not from the token
 * file per request), and replaced once by a silent login when a server refuses it. Requests to
 * several nodes run at once; the first refused one logs in, the others retry with its token.
 */
final class SessionTokens implements BearerToken {

    private final Session session;
    private boolean read;
    private String token;

    SessionTokens(Session session) {
        this.session = session;
    }

    @Override
    public synchronized String current() {
        if (!read) {
            token = session.currentToken().orElse(null);
            read = true;
        }
        return token;
    }

    @Override
    public synchronized String refresh(String rejected) {
        if (!Objects.equals(rejected, token)) {
            return token;
        }
        if (rejected == null || !session.canLogInSilently()) {
            return null;
        }
        token = session.logInSilently();
        return token;
    }
}
