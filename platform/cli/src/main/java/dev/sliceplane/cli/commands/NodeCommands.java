package dev.sliceplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code node list|show|add|update|delete|bootstrap-token}: the machines registered with the authority. */
@Command(name = "node", description = "Nodes: the machines of each site registered with the authority.",
        subcommands = {NodeCommands.ListNodes.class, NodeCommands.ShowNode.class, NodeCommands.AddNode.class,
                NodeCommands.UpdateNode.class, NodeCommands.DeleteNode.class, NodeCommands.BootstrapToken.class})
final class NodeCommands {

    static final String BOOT_STATES = "Boot state: boot, safeboot, install, reinstall or disabled.";
    static final Table TABLE = Table.of(
            Table.field("hostname", "hostname"),
            Table.field("site", "site"),
            Table.field("boot state", "bootState"),
            Table.computed("registered", row -> row.path("identityKey").asText("").isEmpty() ? "no" : "yes"));

    private NodeCommands() {
    }

    static ApiPath node(String hostname) {
        return ApiPath.accounts("nodes", hostname);
    }

    @Command(name = "list", description = "Lists nodes.")
    static final class ListNodes extends ApiCommand {
        @Option(names = "--site", paramLabel = "LOGIN_BASE", description = "Only this site's.")
        String site;

        @Option(names = "--boot-state", paramLabel = "STATE", description = "Only nodes in this boot state.")
        String bootState;

        ListNodes(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().list(api().get(ApiPath.accounts("nodes").query("site", site)
                    .query("bootState", BootStates.normalize(bootState))), TABLE, "nodes");
        }
    }

    @Command(name = "show", description = "Shows one node.")
    static final class ShowNode extends ApiCommand {
        @Parameters(paramLabel = "HOSTNAME")
        String hostname;

        ShowNode(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().object(api().get(node(hostname)));
        }
    }

    @Command(name = "add", description = "Registers a node with its site (admin; a PI or tech of the site).")
    static final class AddNode extends ApiCommand {
        @Parameters(paramLabel = "HOSTNAME")
        String hostname;

        @Option(names = "--site", required = true, paramLabel = "LOGIN_BASE")
        String site;

        @Option(names = "--boot-state", paramLabel = "STATE", description = BOOT_STATES + " Default: the node's (install).")
        String bootState;

        @Option(names = "--identity-key", paramLabel = "KEY",
                description = "The node's Ed25519 public key (unpadded base64url); usually set by the node itself when it bootstraps.")
        String identityKey;

        AddNode(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode body = object().put("hostname", hostname).put("site", site);
            if (bootState != null) {
                body.put("bootState", BootStates.normalize(bootState));
            }
            if (identityKey != null) {
                body.put("identityKey", identityKey);
            }
            printer().changed(api().post(ApiPath.accounts("nodes"), body), "added node " + hostname);
        }
    }

    @Command(name = "update", description = "Changes a node's boot state, identity key or site (a site move: admin only).")
    static final class UpdateNode extends ApiCommand {
        @Parameters(paramLabel = "HOSTNAME")
        String hostname;

        @Option(names = "--site", paramLabel = "LOGIN_BASE")
        String site;

        @Option(names = "--boot-state", paramLabel = "STATE", description = BOOT_STATES)
        String bootState;

        @Option(names = "--identity-key", paramLabel = "KEY")
        String identityKey;

        UpdateNode(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode patch = object();
            if (site != null) {
                patch.put("site", site);
            }
            if (bootState != null) {
                patch.put("bootState", BootStates.normalize(bootState));
            }
            if (identityKey != null) {
                patch.put("identityKey", identityKey);
            }
            requireChanges(patch);
            printer().changed(api().patch(node(hostname), patch), "updated node " + hostname);
        }
    }

    @Command(name = "delete", description = "Deletes a node.")
    static final class DeleteNode extends ApiCommand {
        @Parameters(paramLabel = "HOSTNAME")
        String hostname;

        DeleteNode(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().delete(node(hostname)), "deleted node " + hostname);
        }
    }

    @Command(name = "bootstrap-token", description = {"Issues a one-time bootstrap token with which the node obtains its credential.",
            "Prints the token alone on stdout (its expiry on stderr)."})
    static final class BootstrapToken extends ApiCommand {
        @Parameters(paramLabel = "HOSTNAME")
        String hostname;

        BootstrapToken(Environment env) {
            super(env);
        }

        @Override
        void run() {
            JsonNode issued = api().post(ApiPath.accounts("nodes", hostname, "bootstrap-tokens"), null);
            if (printer().asJson()) {
                printer().json(issued);
            } else {
                env.err().println("bootstrap token for " + hostname + ", one use, valid until " + issued.path("expiresAt").asText());
                printer().line(issued.path("bootstrapToken").asText());
            }
        }
    }
}
