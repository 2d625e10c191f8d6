package dev.sliceplane.cli.commands;

import java.net.URI;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.ExitCodes;
import dev.sliceplane.cli.GlobalOptions;
import dev.sliceplane.cli.Json;
import dev.sliceplane.cli.auth.Session;
import dev.sliceplane.cli.auth.TokenStore;
import dev.sliceplane.cli.http.ApiClient;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Printer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the node: it finds the node's URL and the output mode in the global
 * options, and gets its client, session and printer from here, made on first use.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    final Environment env;
    private ApiClient client;
    private Session session;

    ApiCommand(Environment env) {
        this.env = env;
    }

    @Override
    public final Integer call() {
        try {
            run();
            return ExitCodes.OK;
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    abstract void run();

    final GlobalOptions options() {
        return ((SliceplaneCommand) spec.root().userObject()).options();
    }

    final ObjectMapper json() {
        return Json.mapper();
    }

    final ObjectNode object() {
        return json().createObjectNode();
    }

    final URI nodeUrl() {
        return client().node();
    }

    final ApiClient client() {
        if (client == null) {
            client = new ApiClient(options().nodeUrl(env), json());
        }
        return client;
    }

    final Session session() {
        if (session == null) {
            session = new Session(client(), new TokenStore(env.configDir(), json(), env.err()), env, json());
        }
        return session;
    }

    final NodeApi api() {
        return new NodeApi(client(), session());
    }

    final Printer printer() {
        return new Printer(env.out(), json(), options().json());
    }

    /** The caller's own email, for commands whose principal defaults to "me". */
    final String myEmail() {
        JsonNode me = api().get(ApiPath.accounts("whoami"));
        if (!"PRINCIPAL".equalsIgnoreCase(me.path("kind").asText()) || !me.path("id").isTextual()) {
            throw new CliException(ExitCodes.USAGE, "this token is not a principal's ("
                    + me.path("kind").asText("unknown kind") + "); name the principal's email");
        }
        return me.path("id").asText();
    }

    /** Refuses an update that would change nothing. */
    static void requireChanges(ObjectNode patch) {
        if (patch.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to update: give at least one option (see --help)");
        }
    }
}
