package dev.sliceplane.accounts.internal;

import static dev.sliceplane.accounts.internal.Fixtures.site;
import static dev.sliceplane.accounts.internal.Fixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;

/** The embedded default: an H2 file that keeps its data across restarts and crashes. */
class H2FileDatabaseTest {

    @TempDir
    Path directory;

    @Test
    void dataSurvivesARestartAndMigrationsDoNotRunAgain() {
        try (RegistryDatabase first = RegistryDatabase.open(DatabaseKind.H2, TestDatabases.h2File(directory), 2)) {
            assertEquals(RegistryContract.shippedMigrations(), first.migrationsApplied());
            Registry registry = new JdbcRegistry(first, Clock.systemUTC());
            registry.addSite(site("princeton"));
            registry.addSlice(slice("princeton_codeen").withExpires(Clock.systemUTC().instant().plusSeconds(3600)));
        }
        assertTrue(Files.exists(directory.resolve("registry.mv.db")), "the database is a file in the data directory");

        try (RegistryDatabase second = RegistryDatabase.open(DatabaseKind.H2, TestDatabases.h2File(directory), 2)) {
            assertEquals(0, second.migrationsApplied());
            Registry registry = new JdbcRegistry(second, Clock.systemUTC());
            assertEquals(site("princeton"), registry.getSite("princeton"));
            assertEquals("princeton_codeen", registry.getSlice("princeton_codeen").name());
        }
    }

    /**
     * Kills (SIGKILL) a JVM that is adding sites and checks that every site it reported added is
     * there afterwards: an acknowledged change is on disk when the call returns.
     */
    @Test
    void acknowledgedChangesSurviveAKilledProcess() throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), directory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 40 && (line = out.readLine()) != null) {
                acknowledged.add(line);
            }
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(40, acknowledged.size(), "the writer ran");

        try (RegistryDatabase reopened = RegistryDatabase.open(DatabaseKind.H2, TestDatabases.h2File(directory), 2)) {
            List<String> stored = new JdbcRegistry(reopened, Clock.systemUTC()).listSites().stream()
                    .map(Site::loginBase).toList();
            assertTrue(stored.containsAll(acknowledged), "lost: " + missing(acknowledged, stored));
        }
    }

    private static List<String> missing(List<String> acknowledged, List<String> stored) {
        return acknowledged.stream().filter(s -> !stored.contains(s)).toList();
    }

    /** The process that gets killed: adds sites forever, printing each one after it is added. */
    public static final class CrashingWriter {
        public static void main(String[] args) throws IOException {
            RegistryDatabase database = RegistryDatabase.open(DatabaseKind.H2, TestDatabases.h2File(Path.of(args[0])), 2);
            Registry registry = new JdbcRegistry(database, Clock.systemUTC());
            for (int i = 0; ; i++) {
                String loginBase = "site" + i;
                registry.addSite(site(loginBase));
                System.out.println(loginBase);
                System.out.flush();
            }
        }
    }
}
