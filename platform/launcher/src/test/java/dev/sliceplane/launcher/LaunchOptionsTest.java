package dev.sliceplane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchOptionsTest {

    private static final Path HOME = Path.of("/opt/sliceplane");

    private static LaunchOptions parse(Map<String, String> env, String... args) throws UsageException {
        return LaunchOptions.parse(args, env, () -> HOME);
    }

    private static LaunchOptions parse(String... args) throws UsageException {
        return parse(Map.of(), args);
    }

    private static String error(Map<String, String> env, String... args) {
        return assertThrows(UsageException.class, () -> parse(env, args)).getMessage();
    }

    private static String error(String... args) {
        return error(Map.of(), args);
    }

    @Test
    void defaults() throws UsageException {
        LaunchOptions options = parse("start");
        assertEquals(Path.of("var").toAbsolutePath(), options.dataDir());
        assertEquals(8080, options.httpPort());
        assertEquals(HOME, options.home());
    }

    @Test
    void eachFlag() throws UsageException {
        LaunchOptions options = parse("start", "--data-dir", "/srv/node", "--http-port", "9090", "--home", "/opt/sp");
        assertEquals(Path.of("/srv/node"), options.dataDir());
        assertEquals(9090, options.httpPort());
        assertEquals(Path.of("/opt/sp"), options.home());
        assertEquals(false, options.stopWhenReady());
    }

    @Test
    void stopWhenReadyIsASwitch() throws UsageException {
        LaunchOptions options = parse("start", "--stop-when-ready", "--http-port", "9090");
        assertEquals(true, options.stopWhenReady());
        assertEquals(9090, options.httpPort());
    }

    @Test
    void inlineValues() throws UsageException {
        LaunchOptions options = parse("start", "--data-dir=/srv/node", "--http-port=9090");
        assertEquals(Path.of("/srv/node"), options.dataDir());
        assertEquals(9090, options.httpPort());
    }

    @Test
    void relativeDataDirIsResolvedAgainstTheWorkingDirectory() throws UsageException {
        assertEquals(Path.of("").toAbsolutePath().resolve("node1/var"), parse("start", "--data-dir", "node1/./var").dataDir());
    }

    @Test
    void environmentIsTheFallback() throws UsageException {
        Map<String, String> env = Map.of(LaunchOptions.DATA_DIR_ENV, "/srv/env", LaunchOptions.HTTP_PORT_ENV, "7070");
        LaunchOptions fromEnv = parse(env, "start");
        assertEquals(Path.of("/srv/env"), fromEnv.dataDir());
        assertEquals(7070, fromEnv.httpPort());

        LaunchOptions flagsWin = parse(env, "start", "--data-dir", "/srv/flag", "--http-port", "6060");
        assertEquals(Path.of("/srv/flag"), flagsWin.dataDir());
        assertEquals(6060, flagsWin.httpPort());
    }

    @Test
    void blankEnvironmentIsIgnored() throws UsageException {
        LaunchOptions options = parse(Map.of(LaunchOptions.DATA_DIR_ENV, " ", LaunchOptions.HTTP_PORT_ENV, ""), "start");
        assertEquals(Path.of("var").toAbsolutePath(), options.dataDir());
        assertEquals(8080, options.httpPort());
    }

    @Test
    void help() {
        assertTrue(LaunchOptions.isHelp(new String[] {"--help"}));
        assertTrue(LaunchOptions.isHelp(new String[] {"start", "-h"}));
        assertTrue(LaunchOptions.isHelp(new String[] {"help"}));
        assertFalse(LaunchOptions.isHelp(new String[] {"start", "--home", "help"}));
        assertFalse(LaunchOptions.isHelp(new String[0]));
    }

    @Test
    void missingCommand() {
        assertEquals("missing command (expected 'start')", error());
    }

    @Test
    void unknownCommand() {
        assertEquals("unknown command: run", error("run"));
        assertEquals("unknown command: --http-port", error("--http-port", "9090"));
    }

    @Test
    void unknownOption() {
        assertEquals("unknown option: --port", error("start", "--port", "80"));
        assertEquals("unknown option: --port", error("start", "--port=80"));
        assertEquals("unknown option: -x", error("start", "-x"));
    }

    @Test
    void unexpectedArgument() {
        assertEquals("unexpected argument: now", error("start", "now"));
    }

    @ParameterizedTest
    @CsvSource({"--data-dir", "--http-port", "--home"})
    void missingValue(String flag) {
        assertEquals("missing value for " + flag, error("start", flag));
        assertEquals("missing value for " + flag, error("start", flag, "--help-me"));
        assertEquals("missing value for " + flag, error("start", flag + "="));
    }

    @ParameterizedTest
    @CsvSource({"abc", "0", "65536", "-1", "80.5", "99999999999"})
    void badPort(String port) {
        assertEquals("invalid port for --http-port: '" + port + "' (expected a number from 1 to 65535)",
                error("start", "--http-port", port));
    }

    @Test
    void badPortFromEnvironmentNamesTheVariable() {
        assertEquals("invalid port for SLICEPLANE_HTTP_PORT: 'http' (expected a number from 1 to 65535)",
                error(Map.of(LaunchOptions.HTTP_PORT_ENV, "http"), "start"));
    }

    @Test
    void portBounds() throws UsageException {
        assertEquals(1, parse("start", "--http-port", "1").httpPort());
        assertEquals(65535, parse("start", "--http-port", "65535").httpPort());
    }
}
