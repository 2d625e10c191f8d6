package dev.sliceplane.cli.commands;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sliceplane.cli.GlobalOptions;
import dev.sliceplane.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/**
 * {@code sliceplane}: the root of the nouns ({@link #NOUNS}, added by {@link dev.sliceplane.cli.Cli}).
 * Help and version options, and the global options, reach every subcommand.
 */
@Command(name = "sliceplane",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Talks to a Sliceplane node's HTTP API. Tables for people, --json for scripts.%n"
                + "Exit codes: 0 done, 1 refused by the node or failed, 2 wrong command line, 3 node unreachable.")
public final class SliceplaneCommand {

    /** The first words, in the order help lists them. */
    public static final Map<String, Class<?>> NOUNS = nouns(
            LoginCommand.class, LogoutCommand.class, WhoamiCommand.class, TokenCommand.class,
            SiteCommands.class, PrincipalCommands.class, ApiKeyCommands.class, SliceCommands.class,
            MemberCommands.class, KeyCommands.class, NodeCommands.class);

    @Mixin
    GlobalOptions options;

    GlobalOptions options() {
        return options;
    }

    private static Map<String, Class<?>> nouns(Class<?>... commands) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> command : commands) {
            byName.put(command.getAnnotation(Command.class).name(), command);
        }
        return Collections.unmodifiableMap(byName);
    }
}
