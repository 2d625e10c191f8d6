package dev.sliceplane.cli.commands;

import dev.sliceplane.cli.GlobalOptions;
import dev.sliceplane.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/** {@code sliceplane}: the nouns. Help and version options, and the global options, reach every subcommand. */
@Command(name = "sliceplane",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Talks to a Sliceplane node's HTTP API. Tables for people, --json for scripts.%n"
                + "Exit codes: 0 done, 1 refused by the node or failed, 2 wrong command line, 3 node unreachable.",
        subcommands = {
                LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, TokenCommand.class,
                SiteCommands.class, PrincipalCommands.class, ApiKeyCommands.class, SliceCommands.class,
                MemberCommands.class, KeyCommands.class, NodeCommands.class })
public final class SliceplaneCommand {

    @Mixin
    GlobalOptions options;

    GlobalOptions options() {
        return options;
    }
}
