package dev.sliceplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code key list|show|add|delete}: SSH public keys, installed in the slivers of the owner's slices. */
@Command(name = "key", description = "SSH public keys of principals, installed in the slivers of their slices.",
        subcommands = {KeyCommands.ListKeys.class, KeyCommands.ShowKey.class, KeyCommands.AddKey.class,
                KeyCommands.DeleteKey.class})
final class KeyCommands {

    static final Table TABLE = Table.of(
            Table.field("owner", "owner"),
            Table.field("type", "type"),
            Table.field("fingerprint", "fingerprint"));

    private KeyCommands() {
    }

    /**
     * A key's path. Its fingerprint (SHA256: and standard base64) may hold '/' and '+'; it goes in
     * the URL-safe alphabet ('_' and '-'), which the node reads the same, because servers treat
     * an encoded '/' in a path differently (Jetty refuses it as ambiguous).
     */
    static ApiPath key(String fingerprint) {
        return ApiPath.accounts("keys", fingerprint.replace('+', '-').replace('/', '_'));
    }

    @Command(name = "list", description = "Lists public keys (yours, or a principal's of your site; admins: all).")
    static final class ListKeys extends ApiCommand {
        @Option(names = "--owner", paramLabel = "EMAIL", description = "Only this principal's.")
        String owner;

        ListKeys(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().list(api().get(ApiPath.accounts("keys").query("owner", owner)), TABLE, "keys");
        }
    }

    @Command(name = "show", description = "Shows one key by its fingerprint (SHA256:...).")
    static final class ShowKey extends ApiCommand {
        @Parameters(paramLabel = "FINGERPRINT")
        String fingerprint;

        ShowKey(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().object(api().get(key(fingerprint)));
        }
    }

    @Command(name = "add", description = "Adds a public key, e.g. key add --file ~/.ssh/id_ed25519.pub")
    static final class AddKey extends ApiCommand {
        @Option(names = "--owner", paramLabel = "EMAIL", description = "Whose key (default: yours).")
        String owner;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The OpenSSH public key file; - for stdin.")
        String file;

        AddKey(Environment env) {
            super(env);
        }

        @Override
        void run() {
            String line = PublicKeyFile.read(file, env.stdin());
            String who = owner != null ? owner : myEmail();
            JsonNode added = api().post(ApiPath.accounts("keys"), object().put("owner", who).put("key", line));
            printer().changed(added, "added key " + added.path("fingerprint").asText() + " for " + who);
        }
    }

    @Command(name = "delete", description = "Deletes a key by its fingerprint.")
    static final class DeleteKey extends ApiCommand {
        @Parameters(paramLabel = "FINGERPRINT")
        String fingerprint;

        DeleteKey(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().delete(key(fingerprint)), "deleted key " + fingerprint);
        }
    }
}
