package dev.sliceplane.cli.commands;

import dev.sliceplane.cli.Environment;
import picocli.CommandLine.Command;

/** {@code logout}: forgets the stored token (and remembered API key file) for the node. */
@Command(name = "logout", description = "Forgets the token (and any remembered API key file) stored for the node's URL.")
final class LogoutCommand extends ApiCommand {

    LogoutCommand(Environment env) {
        super(env);
    }

    @Override
    void run() {
        boolean had = session().logOut();
        if (!options().json()) {
            env.out().println((had ? "logged out of " : "was not logged in to ") + session().node());
        }
    }
}
