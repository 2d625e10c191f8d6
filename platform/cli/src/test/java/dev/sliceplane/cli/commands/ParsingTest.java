package dev.sliceplane.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.CliRun;
import dev.sliceplane.cli.Cli;
import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.PasswordConsole;
import picocli.CommandLine;

/** The command tree, options and usage errors; nothing here reaches a node. */
class ParsingTest {

    @TempDir
    Path home;

    private CliRun cli() {
        return new CliRun(home).env("SLICEPLANE_URL", "http://127.0.0.1:9");
    }

    private static CommandLine tree() {
        Environment env = new Environment(Map.of(), System.in, System.out, System.err, PasswordConsole.none(), Clock.systemUTC());
        return new Cli(env).commandLine();
    }

    @Test
    void everyCommandHasHelpThatExitsZero() {
        List<String> seen = new ArrayList<>();
        walk(tree(), List.of(), seen);
        assertTrue(seen.size() > 40, "all nouns and verbs: " + seen);
        assertTrue(seen.containsAll(List.of("sliceplane site add", "sliceplane principal password", "sliceplane apikey create",
                "sliceplane member remove", "sliceplane key add", "sliceplane node bootstrap-token", "sliceplane token")), seen.toString());
    }

    private void walk(CommandLine command, List<String> path, List<String> seen) {
        seen.add(command.getCommandSpec().qualifiedName());
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        CliRun.Result help = cli().run(args.toArray(String[]::new));
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().startsWith("Usage: " + command.getCommandSpec().qualifiedName()), help.out());
        assertEquals("", help.err());
        command.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            walk(sub, deeper, seen);
        });
    }

    @Test
    void onlyTheNamedNounIsBuiltButAllWhenNoneIsNamed() {
        assertEquals(List.of(SiteCommands.class), List.copyOf(Cli.nounsFor("--url", "site", "site", "list")));
        assertEquals(List.of(SliceCommands.class), List.copyOf(Cli.nounsFor("--json", "slice", "show", "x")));
        assertEquals(SliceplaneCommand.NOUNS.size(), Cli.nounsFor("--help").size());
        assertEquals(SliceplaneCommand.NOUNS.size(), Cli.nounsFor("sites", "list").size());
        assertEquals(SliceplaneCommand.NOUNS.size(), Cli.nounsFor().size());
    }

    @Test
    void usageErrorsAreOneLineWithWhereToLookAndExitCode2() {
        assertUsage(cli().run("site"), "sliceplane: Missing required subcommand (see 'sliceplane site --help')");
        assertUsage(cli().run("site", "lst"),
                "sliceplane: Unmatched argument at index 1: 'lst'; did you mean list? (see 'sliceplane site --help')");
        assertUsage(cli().run("site", "add", "mit"),
                "sliceplane: Missing required options: '--name=NAME', '--max-slices=N' (see 'sliceplane site add --help')");
        assertUsage(cli().run("site", "add", "mit", "--name", "MIT", "--max-slices", "many"),
                "sliceplane: Invalid value for option '--max-slices': 'many' is not an int (see 'sliceplane site add --help')");
        assertUsage(cli().run("slices"), "sliceplane: Unmatched argument at index 0: 'slices'; did you mean slice? (see 'sliceplane --help')");
    }

    private static void assertUsage(CliRun.Result result, String line) {
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(line + "\n", result.err());
        assertEquals("", result.out());
    }

    @Test
    void globalOptionsAreAcceptedBeforeOrAfterTheVerb() {
        CommandLine tree = tree();
        tree.parseArgs("--url", "http://a:1", "site", "list", "--json");
        SliceplaneCommand root = tree.getCommand();
        assertEquals(true, root.options().json());
        assertEquals("http://a:1", root.options().nodeUrl(env(Map.of())).toString());

        CommandLine again = tree();
        again.parseArgs("slice", "show", "x", "--url", "http://b:2/");
        assertEquals("http://b:2", ((SliceplaneCommand) again.getCommand()).options().nodeUrl(env(Map.of())).toString());
    }

    @Test
    void theUrlComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        CommandLine tree = tree();
        tree.parseArgs("site", "list");
        SliceplaneCommand root = tree.getCommand();
        assertEquals("http://localhost:8080", root.options().nodeUrl(env(Map.of())).toString());
        assertEquals("https://authority.example.org", root.options().nodeUrl(env(Map.of("SLICEPLANE_URL", "https://authority.example.org")))
                .toString());
    }

    @Test
    void aUrlThatIsNoNodeUrlIsAUsageError() {
        for (String bad : List.of("localhost:8080", "ftp://x", "http://x/api", "http://", "http://x?y=1", "not a url")) {
            CliRun.Result result = cli().run("--url", bad, "site", "list");
            assertEquals(2, result.exitCode(), bad + ": " + result);
            assertEquals("sliceplane: '" + bad + "' is not a node URL; give one like http://node.example.org:8080\n", result.err());
        }
    }

    @Test
    void rolesAndMembersMaySplitOnCommas() {
        CommandLine tree = tree();
        CommandLine.ParseResult parsed = tree.parseArgs("principal", "add", "a@b.org", "--name", "A", "--site", "b",
                "--role", "pi,user", "--role", "tech");
        PrincipalCommands.AddPrincipal add = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();
        assertEquals(List.of("pi", "user", "tech"), add.roles);
    }

    @Test
    void expiriesReadAsInstantsDatesOrTimesFromNow() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00.123Z"), ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-26T18:00:00Z"), Expiry.parse("6h", clock));
        assertEquals(Instant.parse("2026-12-26T12:00:00Z"), Expiry.parse("+30d", clock));
        assertEquals(Instant.parse("2027-01-21T12:00:00Z"), Expiry.parse("8w", clock));
        assertEquals(Instant.parse("2026-12-31T23:59:59Z"), Expiry.parse("2026-12-31", clock));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), Expiry.parse("2027-01-01T00:00:00Z", clock));
        CliException bad = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> Expiry.parse("tomorrow", clock));
        assertEquals(2, bad.exitCode());
    }

    @Test
    void thePublicKeyLineIsTheFirstThatIsNoComment() {
        assertEquals("ssh-ed25519 AAAA me@x", PublicKeyFile.line("\n# mine\n  ssh-ed25519 AAAA me@x  \nssh-rsa BBBB\n", "f"));
        assertEquals(1, org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> PublicKeyFile.line("# nothing\n", "f")).exitCode());
    }

    private static Environment env(Map<String, String> variables) {
        return new Environment(variables, System.in, System.out, System.err, prompt -> Optional.empty(), Clock.systemUTC());
    }
}
