package dev.sliceplane.cli.commands;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import picocli.CommandLine.Command;

/** {@code whoami}: who the node takes the caller for. */
@Command(name = "whoami", description = "Shows who the node takes you for: kind, id, site, roles, token expiry.")
final class WhoamiCommand extends ApiCommand {

    WhoamiCommand(Environment env) {
        super(env);
    }

    @Override
    void run() {
        printer().object(api().get(ApiPath.accounts("whoami")));
    }
}
