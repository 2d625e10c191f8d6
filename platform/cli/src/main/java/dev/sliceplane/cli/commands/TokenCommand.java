package dev.sliceplane.cli.commands;

import dev.sliceplane.cli.Environment;
import picocli.CommandLine.Command;

/** {@code token}: an access token for scripts ({@code curl -H "Authorization: Bearer $(sliceplane token)"}). */
@Command(name = "token", description = {
        "Prints an access token for scripts, e.g. curl -H \"Authorization: Bearer $(./sliceplane token)\" ...",
        "With an API key at hand ($" + Environment.API_KEY + " or the file given to login) the token is newly issued,",
        "so it has its whole lifetime ahead; otherwise it is the stored one while it is valid."})
final class TokenCommand extends ApiCommand {

    TokenCommand(Environment env) {
        super(env);
    }

    @Override
    void run() {
        String token = session().canLogInSilently() ? session().logInSilently() : session().accessToken();
        printer().line(token);
    }
}
