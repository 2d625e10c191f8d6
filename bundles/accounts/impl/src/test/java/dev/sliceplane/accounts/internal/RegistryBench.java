package dev.sliceplane.accounts.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;
import dev.sliceplane.accounts.api.Slice;
import dev.sliceplane.accounts.api.SliceFilter;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;

/**
 * Registry calls through {@link JdbcRegistry} on the databases a node uses: the embedded H2 file
 * database (the default URL under a data directory, {@code WRITE_DELAY=0}) and PostgreSQL (from
 * {@code SLICEPLANE_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}; a schema of its own, dropped
 * and created afresh). The pool has the component's default size (4). Every call is one committed
 * transaction, as in the service. Run by {@code bench/accounts-bench.sh}; never by {@code mvn verify}.
 *
 * <p>The data: {@value #SITES} sites with {@value #PRINCIPALS_PER_SITE} principals and
 * {@value #SLICES_PER_SITE} slices of {@value #MEMBERS_PER_SLICE} members each. Reads pick a random
 * principal or site. Writes go to a site and slice of the benchmark thread's own, so two threads
 * do not queue on each other's row locks, and leave the data as they found it: one operation is
 * an add and the matching delete (two transactions).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RegistryBench {

    static final int SITES = 10;
    static final int PRINCIPALS_PER_SITE = 50;
    static final int SLICES_PER_SITE = 20;
    static final int MEMBERS_PER_SLICE = 5;
    /** Writer sites, one per benchmark thread (at most this many threads). */
    static final int WRITERS = 8;

    @Param({"h2", "postgresql"})
    public String db;

    private Path directory;
    private RegistryDatabase database;
    private JdbcRegistry registry;

    @Setup(Level.Trial)
    public void open() throws IOException {
        DataSource dataSource;
        DatabaseKind kind;
        if (db.equals("h2")) {
            directory = Files.createTempDirectory("bench-accounts-registry");
            dataSource = TestDatabases.h2File(directory);
            kind = DatabaseKind.H2;
        } else {
            String url = System.getenv(TestDatabases.PG_URL);
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("set " + TestDatabases.PG_URL + ", " + TestDatabases.PG_USER + " and "
                        + TestDatabases.PG_PASSWORD + " (bench/accounts-bench.sh starts a server)");
            }
            dataSource = TestDatabases.postgresFresh();
            kind = DatabaseKind.POSTGRESQL;
        }
        database = RegistryDatabase.open(kind, dataSource, 4);
        registry = new JdbcRegistry(database, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        for (int s = 0; s < SITES; s++) {
            registry.addSite(new Site(site(s), "Site " + s, "https://site" + s + ".example.org/", 1000));
            for (int p = 0; p < PRINCIPALS_PER_SITE; p++) {
                registry.addPrincipal(new Principal(email(s, p), "Person " + s + "/" + p, site(s),
                        Set.of(Role.USER), true));
            }
            for (int n = 0; n < SLICES_PER_SITE; n++) {
                String[] members = new String[MEMBERS_PER_SLICE];
                for (int m = 0; m < MEMBERS_PER_SLICE; m++) {
                    members[m] = email(s, (n + m) % PRINCIPALS_PER_SITE);
                }
                registry.addSlice(Fixtures.slice(site(s) + "_slice" + n, members));
            }
        }
        for (int w = 0; w < WRITERS; w++) {
            registry.addSite(new Site(writerSite(w), "Writer " + w, "https://writer" + w + ".example.org/", 1000));
            registry.addPrincipal(new Principal(writerEmail(w), "Writer " + w, writerSite(w), Set.of(Role.PI), true));
            registry.addSlice(Fixtures.slice(writerSlice(w), writerEmail(w)));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        database.close();
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The benchmark thread's own site, slice and principals for writes. */
    @State(Scope.Thread)
    public static class Writer {
        String site;
        String slice;
        String newSlice;
        String member;
        String[] members;

        @Setup(Level.Trial)
        public void pick(ThreadParams thread) {
            int w = thread.getThreadIndex();
            if (w >= WRITERS) {
                throw new IllegalStateException("at most " + WRITERS + " threads");
            }
            site = writerSite(w);
            slice = writerSlice(w);
            newSlice = site + "_new";
            member = email(w % SITES, 0);
            members = new String[] {writerEmail(w), email(w % SITES, 1)};
        }
    }

    @Benchmark
    public Principal getPrincipal() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return registry.getPrincipal(email(random.nextInt(SITES), random.nextInt(PRINCIPALS_PER_SITE)));
    }

    @Benchmark
    public List<Slice> listSlicesOfSite() {
        return registry.listSlices(SliceFilter.ofSite(site(ThreadLocalRandom.current().nextInt(SITES))));
    }

    /** addSlice (two members) then deleteSlice: two transactions. */
    @Benchmark
    public Slice addAndDeleteSlice(Writer writer) {
        Slice added = registry.addSlice(Fixtures.slice(writer.newSlice, writer.members));
        registry.deleteSlice(writer.newSlice);
        return added;
    }

    /** addMember then removeMember on an existing slice: two transactions. */
    @Benchmark
    public Slice addAndRemoveMember(Writer writer) {
        Slice added = registry.addMember(writer.slice, writer.member);
        registry.removeMember(writer.slice, writer.member);
        return added;
    }

    static String site(int s) {
        return "site" + s;
    }

    static String email(int site, int p) {
        return "p" + p + "@site" + site + ".example.org";
    }

    static String writerSite(int w) {
        return "writer" + w;
    }

    static String writerSlice(int w) {
        return writerSite(w) + "_members";
    }

    static String writerEmail(int w) {
        return "pi@writer" + w + ".example.org";
    }
}
