package dev.sliceplane.cli.commands;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slice list|show|add|update|delete}: the registry's slices; and {@code
 * deploy|status|renew|resize|release}: its slivers on nodes, through tickets and leases
 * ({@link SliceAcquisitionCommands}).
 */
@Command(name = "slice", description = "Slices: named shares of many nodes, held by a site and used by its members.",
        subcommands = {SliceCommands.ListSlices.class, SliceCommands.ShowSlice.class, SliceCommands.AddSlice.class,
                SliceCommands.UpdateSlice.class, SliceCommands.DeleteSlice.class,
                SliceAcquisitionCommands.Deploy.class, SliceAcquisitionCommands.Status.class,
                SliceAcquisitionCommands.Renew.class, SliceAcquisitionCommands.Resize.class,
                SliceAcquisitionCommands.Release.class})
final class SliceCommands {

    static final Table TABLE = Table.of(
            Table.field("name", "name"),
            Table.field("expires", "expires"),
            Table.field("max slivers", "maxSlivers"),
            Table.field("members", "members"),
            Table.field("description", "description"));

    private SliceCommands() {
    }

    static ApiPath slice(String name) {
        return ApiPath.accounts("slices", name);
    }

    /** The fields add and update share. */
    static void describe(ObjectNode body, String description, String url, String expires, Integer maxSlivers,
            Environment env) {
        if (description != null) {
            body.put("description", description);
        }
        if (url != null) {
            body.put("url", url);
        }
        if (expires != null) {
            body.put("expires", Expiry.parse(expires, env.clock()).toString());
        }
        if (maxSlivers != null) {
            body.put("maxSlivers", maxSlivers);
        }
    }

    @Command(name = "list", description = "Lists slices (what you may see: admins and techs all, PIs their site's, users their own).")
    static final class ListSlices extends ApiCommand {
        @Option(names = "--site", paramLabel = "LOGIN_BASE", description = "Only this site's.")
        String site;

        @Option(names = "--member", paramLabel = "EMAIL", description = "Only those EMAIL belongs to.")
        String member;

        ListSlices(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().list(api().get(ApiPath.accounts("slices").query("site", site).query("member", member)),
                    TABLE, "slices");
        }
    }

    @Command(name = "show", description = "Shows one slice.")
    static final class ShowSlice extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        ShowSlice(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().object(api().get(slice(name)));
        }
    }

    @Command(name = "add", description = "Adds a slice (admin; a PI for a name starting with their site's login base).")
    static final class AddSlice extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "<login base>_<name>, e.g. princeton_codeen.")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--homepage", paramLabel = "URL", description = "The project's web page (--url is the node's).")
        String url;

        @Option(names = "--expires", required = true, paramLabel = "WHEN", description = Expiry.HELP)
        String expires;

        @Option(names = "--member", paramLabel = "EMAIL", split = ",", description = "Members, comma-separated or repeated.")
        List<String> members = List.of();

        @Option(names = "--max-slivers", required = true, paramLabel = "N", description = "How many slivers the slice may hold.")
        Integer maxSlivers;

        AddSlice(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode body = object().put("name", name);
            describe(body, description, url, expires, maxSlivers, env);
            ArrayNode memberList = body.putArray("members");
            members.forEach(memberList::add);
            printer().changed(api().post(ApiPath.accounts("slices"), body), "added slice " + name);
        }
    }

    @Command(name = "update", description = {"Changes a slice's description, URL, expiry or sliver limit.",
            "Members: 'member add|remove'."})
    static final class UpdateSlice extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--homepage", paramLabel = "URL", description = "The web page.")
        String url;

        @Option(names = "--expires", paramLabel = "WHEN", description = Expiry.HELP)
        String expires;

        @Option(names = "--max-slivers", paramLabel = "N")
        Integer maxSlivers;

        UpdateSlice(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode patch = object();
            describe(patch, description, url, expires, maxSlivers, env);
            requireChanges(patch);
            printer().changed(api().patch(slice(name), patch), "updated slice " + name);
        }
    }

    @Command(name = "delete", description = "Deletes a slice.")
    static final class DeleteSlice extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        DeleteSlice(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().delete(slice(name)), "deleted slice " + name);
        }
    }
}
