package dev.sliceplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code apikey list|create|delete}: long-lived keys that scripts exchange for access tokens. */
@Command(name = "apikey", description = "API keys: long-lived secrets that log a principal in without a password (yours, or anyone's as admin).",
        subcommands = {ApiKeyCommands.ListKeys.class, ApiKeyCommands.CreateKey.class, ApiKeyCommands.DeleteKey.class})
final class ApiKeyCommands {

    static final Table TABLE = Table.of(
            Table.field("id", "id"),
            Table.field("principal", "principal"),
            Table.field("created", "created"));

    private ApiKeyCommands() {
    }

    static ApiPath keys(String email) {
        return ApiPath.accounts("principals", email, "api-keys");
    }

    @Command(name = "list", description = "Lists a principal's API keys (ids only; secrets are never shown again).")
    static final class ListKeys extends ApiCommand {
        @Parameters(paramLabel = "EMAIL", arity = "0..1", description = "Whose keys (default: yours).")
        String email;

        ListKeys(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().list(api().get(keys(email != null ? email : myEmail())), TABLE, "API keys");
        }
    }

    @Command(name = "create", description = {"Creates an API key and prints its secret on stdout, the only time it is shown.",
            "Keep it in an owner-only file and log in with 'login --api-key-file FILE'."})
    static final class CreateKey extends ApiCommand {
        @Parameters(paramLabel = "EMAIL", arity = "0..1", description = "For whom (default: you).")
        String email;

        CreateKey(Environment env) {
            super(env);
        }

        @Override
        void run() {
            String owner = email != null ? email : myEmail();
            JsonNode created = api().post(keys(owner), null);
            if (printer().asJson()) {
                printer().json(created);
            } else {
                env.err().println("created API key " + created.path("id").asText() + " for " + owner
                        + "; its secret follows and is not shown again");
                printer().line(created.path("apiKey").asText());
            }
        }
    }

    @Command(name = "delete", description = "Deletes (revokes) an API key.")
    static final class DeleteKey extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--principal", paramLabel = "EMAIL", description = "Whose key (default: yours).")
        String email;

        DeleteKey(Environment env) {
            super(env);
        }

        @Override
        void run() {
            String owner = email != null ? email : myEmail();
            printer().changed(api().delete(ApiPath.accounts("principals", owner, "api-keys", id)),
                    "deleted API key " + id + " of " + owner);
        }
    }
}
