package dev.sliceplane.cli.commands;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Table;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code principal list|show|add|update|delete|password}: the people (and their roles) of each site. */
@Command(name = "principal", description = "Principals: people, their site and their roles (admin, pi, user, tech, node-owner).",
        subcommands = {PrincipalCommands.ListPrincipals.class, PrincipalCommands.ShowPrincipal.class,
                PrincipalCommands.AddPrincipal.class, PrincipalCommands.UpdatePrincipal.class,
                PrincipalCommands.DeletePrincipal.class, PrincipalCommands.SetPassword.class})
final class PrincipalCommands {

    static final String ROLES = "Roles, comma-separated or repeated: admin, pi, user, tech, node-owner.";
    static final Table TABLE = Table.of(
            Table.field("email", "email"),
            Table.field("name", "name"),
            Table.field("site", "site"),
            Table.field("roles", "roles"),
            Table.computed("enabled", row -> row.path("enabled").asBoolean() ? "yes" : "no"));

    private PrincipalCommands() {
    }

    static ApiPath principal(String email) {
        return ApiPath.accounts("principals", email);
    }

    static ArrayNode roles(ObjectNode body, List<String> roles) {
        ArrayNode array = body.putArray("roles");
        roles.stream().flatMap(role -> Arrays.stream(role.split(","))).map(String::strip)
                .filter(role -> !role.isEmpty()).forEach(array::add);
        return array;
    }

    @Command(name = "list", description = "Lists principals (others than admins see their own site's).")
    static final class ListPrincipals extends ApiCommand {
        @Option(names = "--site", paramLabel = "LOGIN_BASE", description = "Only this site's.")
        String site;

        @Option(names = "--role", paramLabel = "ROLE", description = "Only those with this role.")
        String role;

        ListPrincipals(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().list(api().get(ApiPath.accounts("principals").query("site", site).query("role", role)),
                    TABLE, "principals");
        }
    }

    @Command(name = "show", description = "Shows one principal.")
    static final class ShowPrincipal extends ApiCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        ShowPrincipal(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().object(api().get(principal(email)));
        }
    }

    @Command(name = "add", description = "Adds a principal (admin; a PI for their own site, granting pi, user or tech).")
    static final class AddPrincipal extends ApiCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--site", required = true, paramLabel = "LOGIN_BASE")
        String site;

        @Option(names = "--role", paramLabel = "ROLE", split = ",", description = ROLES)
        List<String> roles = List.of();

        @Option(names = "--disabled", description = "Add the principal disabled (it cannot log in until enabled).")
        boolean disabled;

        AddPrincipal(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode body = object().put("email", email).put("name", name).put("site", site);
            roles(body, roles);
            body.put("enabled", !disabled);
            printer().changed(api().post(ApiPath.accounts("principals"), body), "added principal " + email);
        }
    }

    @Command(name = "update", description = "Changes a principal's name, site, roles or whether it is enabled.")
    static final class UpdatePrincipal extends ApiCommand {
        /** Enabling and disabling exclude each other. */
        static final class Enabled {
            @Option(names = "--enable", description = "Let the principal log in.")
            boolean enable;

            @Option(names = "--disable", description = "Stop the principal from logging in.")
            boolean disable;
        }

        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--site", paramLabel = "LOGIN_BASE", description = "Move to another site (admin).")
        String site;

        @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Replace the roles. " + ROLES)
        List<String> roles;

        @ArgGroup(exclusive = true)
        Enabled enabled;

        UpdatePrincipal(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode patch = object();
            if (name != null) {
                patch.put("name", name);
            }
            if (site != null) {
                patch.put("site", site);
            }
            if (roles != null) {
                roles(patch, roles);
            }
            if (enabled != null) {
                patch.put("enabled", enabled.enable);
            }
            requireChanges(patch);
            printer().changed(api().patch(principal(email), patch), "updated principal " + email);
        }
    }

    @Command(name = "delete", description = "Deletes a principal.")
    static final class DeletePrincipal extends ApiCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        DeletePrincipal(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().delete(principal(email)), "deleted principal " + email);
        }
    }

    @Command(name = "password", description = {"Sets a principal's password (yourself, or anyone as admin): 12 to 1024 characters.",
            "Asked twice on the terminal, or read from standard input with --password-stdin; never an argument."})
    static final class SetPassword extends ApiCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--password-stdin", description = "Read the new password from the first line of standard input.")
        boolean passwordStdin;

        SetPassword(Environment env) {
            super(env);
        }

        @Override
        void run() {
            char[] password = passwordStdin ? Passwords.fromStdin(env)
                    : Passwords.askTwice(env, "New password for " + email + ": ", "use --password-stdin");
            ObjectNode body = object().put("password", new String(password));
            Arrays.fill(password, '\0');
            printer().changed(api().put(ApiPath.accounts("principals", email, "password"), body),
                    "set the password of " + email);
        }
    }
}
