package dev.sliceplane.cli.commands;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.ExitCodes;
import dev.sliceplane.cli.auth.ApiKeyFile;
import dev.sliceplane.cli.auth.LoginSecret;
import dev.sliceplane.cli.auth.StoredToken;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.http.ApiProblemException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code login}: exchanges an API key or a password for an access token and stores it for the node's URL. */
@Command(name = "login", description = {
        "Gets an access token from the node and keeps it, per node URL, in ~/.config/sliceplane/tokens.json (owner-only).",
        "With an API key (a file, or $" + Environment.API_KEY + ") later commands log in again by themselves when the token expires.",
        "Passwords are never taken as arguments: $" + Environment.PASSWORD + ", --password-stdin, or the terminal."})
final class LoginCommand extends ApiCommand {

    /** One way to log in. */
    static final class Source {
        @Option(names = "--api-key-file", paramLabel = "FILE",
                description = "Read the API key from FILE (remembered, for logging in again when the token expires).")
        Path apiKeyFile;

        @Option(names = "--api-key", description = "Use the API key in $" + Environment.API_KEY + ".")
        boolean apiKeyFromEnvironment;

        @Option(names = "--email", paramLabel = "EMAIL", description = "Log in as EMAIL with its password.")
        String email;
    }

    @ArgGroup(exclusive = true)
    Source source;

    @Option(names = "--password-stdin", description = "With --email: read the password from the first line of standard input.")
    boolean passwordStdin;

    LoginCommand(Environment env) {
        super(env);
    }

    @Override
    void run() {
        Source given = source != null ? source : new Source();
        if (passwordStdin && given.email == null) {
            throw new CliException(ExitCodes.USAGE, "--password-stdin goes with --email");
        }
        StoredToken token;
        if (given.apiKeyFile != null) {
            Path file = given.apiKeyFile.toAbsolutePath().normalize();
            token = session().logIn(ApiKeyFile.read(file), file.toString());
        } else if (given.email != null) {
            token = session().logIn(new LoginSecret.Password(given.email, password(given.email)), null);
        } else if (given.apiKeyFromEnvironment || env.variable(Environment.API_KEY).isPresent()) {
            String key = env.variable(Environment.API_KEY).orElseThrow(() -> new CliException(ExitCodes.USAGE,
                    "--api-key reads the key from $" + Environment.API_KEY + ", which is not set"));
            token = session().logIn(new LoginSecret.ApiKey(key.strip()), null);
        } else {
            throw new CliException(ExitCodes.USAGE,
                    "say how to log in: --api-key-file FILE, --api-key (with $" + Environment.API_KEY + " set) or --email EMAIL");
        }
        report(token);
    }

    private char[] password(String email) {
        if (env.variable(Environment.PASSWORD).isPresent()) {
            return env.variable(Environment.PASSWORD).get().toCharArray();
        }
        if (passwordStdin) {
            return Passwords.fromStdin(env);
        }
        return Passwords.ask(env, "Password for " + email + ": ",
                "set $" + Environment.PASSWORD + " or use --password-stdin");
    }

    /** Says who the token is for; the login itself already succeeded, so a failing whoami only shortens the line. */
    private void report(StoredToken token) {
        JsonNode me = null;
        try {
            me = api().get(ApiPath.accounts("whoami"));
        } catch (ApiProblemException e) {
            // older nodes without /whoami: the token is still good
        }
        ObjectNode result = object().put("node", session().node()).put("expiresAt", token.expiresAt().toString());
        if (me != null && me.path("id").isTextual()) {
            result.put("id", me.path("id").asText());
        }
        printer().changed(result, "logged in to " + session().node()
                + (result.has("id") ? " as " + result.get("id").asText() : "")
                + " (token valid until " + token.expiresAt() + ")");
    }
}
