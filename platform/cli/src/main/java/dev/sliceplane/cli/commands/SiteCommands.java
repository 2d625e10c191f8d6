package dev.sliceplane.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import dev.sliceplane.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code site list|show|add|update|delete}: the institutions that own nodes and slices. */
@Command(name = "site", description = "Sites: the institutions that own nodes and slices.",
        subcommands = {SiteCommands.ListSites.class, SiteCommands.ShowSite.class, SiteCommands.AddSite.class,
                SiteCommands.UpdateSite.class, SiteCommands.DeleteSite.class})
final class SiteCommands {

    static final Table TABLE = Table.of(
            Table.field("login base", "loginBase"),
            Table.field("name", "name"),
            Table.field("max slices", "maxSlices"),
            Table.field("url", "url"));

    private SiteCommands() {
    }

    static ApiPath site(String loginBase) {
        return ApiPath.accounts("sites", loginBase);
    }

    @Command(name = "list", description = "Lists the sites.")
    static final class ListSites extends ApiCommand {
        ListSites(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().list(api().get(ApiPath.accounts("sites")), TABLE, "sites");
        }
    }

    @Command(name = "show", description = "Shows one site.")
    static final class ShowSite extends ApiCommand {
        @Parameters(paramLabel = "LOGIN_BASE", description = "The site's login base, e.g. princeton.")
        String loginBase;

        ShowSite(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().object(api().get(site(loginBase)));
        }
    }

    @Command(name = "add", description = "Adds a site (admin).")
    static final class AddSite extends ApiCommand {
        @Parameters(paramLabel = "LOGIN_BASE", description = "Short lower-case name, the prefix of the site's slices, e.g. princeton.")
        String loginBase;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Full name, e.g. \"Princeton University\".")
        String name;

        @Option(names = "--homepage", paramLabel = "URL", description = "The site's web page (--url is the node's).")
        String url;

        @Option(names = "--max-slices", required = true, paramLabel = "N", description = "How many slices the site may hold.")
        int maxSlices;

        AddSite(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode body = object().put("loginBase", loginBase).put("name", name).put("maxSlices", maxSlices);
            if (url != null) {
                body.put("url", url);
            }
            printer().changed(api().post(ApiPath.accounts("sites"), body), "added site " + loginBase);
        }
    }

    @Command(name = "update", description = "Changes a site's name, URL or slice limit (a PI of the site: name and URL).")
    static final class UpdateSite extends ApiCommand {
        @Parameters(paramLabel = "LOGIN_BASE")
        String loginBase;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--homepage", paramLabel = "URL", description = "The web page.")
        String url;

        @Option(names = "--max-slices", paramLabel = "N")
        Integer maxSlices;

        UpdateSite(Environment env) {
            super(env);
        }

        @Override
        void run() {
            ObjectNode patch = object();
            if (name != null) {
                patch.put("name", name);
            }
            if (url != null) {
                patch.put("url", url);
            }
            if (maxSlices != null) {
                patch.put("maxSlices", maxSlices);
            }
            requireChanges(patch);
            printer().changed(api().patch(site(loginBase), patch), "updated site " + loginBase);
        }
    }

    @Command(name = "delete", description = "Deletes a site (admin).")
    static final class DeleteSite extends ApiCommand {
        @Parameters(paramLabel = "LOGIN_BASE")
        String loginBase;

        DeleteSite(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().delete(site(loginBase)), "deleted site " + loginBase);
        }
    }
}
