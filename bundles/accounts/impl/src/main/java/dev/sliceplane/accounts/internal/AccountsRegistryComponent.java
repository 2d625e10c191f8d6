package dev.sliceplane.accounts.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.internal.credentials.ApiKeys;
import dev.sliceplane.accounts.internal.credentials.PasswordHasher;
import dev.sliceplane.accounts.internal.credentials.Passwords;
import dev.sliceplane.accounts.internal.credentials.NodeBootstraps;
import dev.sliceplane.accounts.internal.db.DatabaseKind;
import dev.sliceplane.accounts.internal.db.RegistryDatabase;

/**
 * Opens the registry database and registers the {@link Registry} service.
 *
 * <p>The database is chosen by {@code jdbcUrl}; its driver is reached through the OSGi JDBC
 * {@link DataSourceFactory} service that the H2 and PostgreSQL bundles register, never through
 * {@code DriverManager} (whose class-loader lookup does not see other bundles). The factories of
 * every driver are tracked and the one matching the URL is used when it appears, so an operator
 * sets one key to move to PostgreSQL. The service is registered by hand once the schema is
 * migrated, and unregistered when that driver goes or the component stops.
 *
 * <p>The database is opened and migrated on a thread of its own, not in the driver's service
 * event: that event arrives on the framework's start-level thread while the node boots, and
 * opening (H2, Flyway's validation and migrations) took a few hundred milliseconds of it, during
 * which no other bundle started. Everything that needs the registry waits for its service, and
 * the node reports itself healthy only once the HTTP endpoints depending on it are served.
 */
@Component(immediate = true, service = {}, configurationPid = AccountsRegistryComponent.PID)
@Designate(ocd = AccountsRegistryComponent.Config.class)
public final class AccountsRegistryComponent {

    static final String PID = "dev.sliceplane.accounts";
    private static final Logger LOG = LoggerFactory.getLogger(AccountsRegistryComponent.class);
    private static final long OPENER_JOIN_MILLIS = 60_000;

    @ObjectClassDefinition(name = "Sliceplane accounts registry",
            description = "Where the authority keeps sites, principals, slices, nodes and public keys.")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL of the registry database. Empty: an embedded H2 file "
                + "database at <data>/accounts/registry. Otherwise jdbc:postgresql://host:port/database, or a "
                + "jdbc:h2: URL.")
        String jdbcUrl() default "";

        @AttributeDefinition(description = "Database user; empty for the embedded database.")
        String user() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password.")
        String password() default "";

        @AttributeDefinition(min = "1", max = "64", description = "Most connections the registry holds open.")
        int maxConnections() default 4;
    }

    private final BundleContext context;
    private final Config config;
    private final DatabaseKind kind;
    private final String jdbcUrl;

    // Guarded by this: the factory being opened and its thread, the open database, the factory it
    // came from, its services, and whether the component stopped.
    private DataSourceFactory openingFactory;
    private Thread opener;
    private boolean stopped;
    private DataSourceFactory openFactory;
    private RegistryDatabase database;
    private ServiceRegistration<Registry> registration;
    private ServiceRegistration<ApiKeys> apiKeysRegistration;
    private ServiceRegistration<Passwords> passwordsRegistration;
    private ServiceRegistration<NodeBootstraps> bootstrapsRegistration;

    /** Runs only on an authority ({@link AuthorityRole}): a joined node opens no registry. */
    @Activate
    public AccountsRegistryComponent(BundleContext context, Config config, @Reference AuthorityRole role)
            throws IOException {
        this.context = context;
        this.config = config;
        if (config.jdbcUrl().isBlank()) {
            Path directory = AccountsPaths.accountsDirectory(context);
            // Made here, before the opener starts: H2 would make it itself, but fails ("a file with
            // this name already exists") when the key ring or the administrator's key makes it at
            // the same moment, which left a first start without a registry.
            Files.createDirectories(directory);
            this.jdbcUrl = DatabaseKind.embeddedUrl(directory);
        } else {
            this.jdbcUrl = config.jdbcUrl().strip();
        }
        this.kind = DatabaseKind.of(jdbcUrl);
    }

    /** Called for every driver's factory; opens the database with the one its URL needs. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addDataSourceFactory(DataSourceFactory factory, Map<String, Object> properties) {
        if (!stopped && database == null && openingFactory == null
                && kind.driverClass().equals(properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS))) {
            openingFactory = factory;
            opener = new Thread(() -> open(factory), "sliceplane-accounts-registry-open");
            opener.setDaemon(true);
            opener.start();
        }
    }

    synchronized void removeDataSourceFactory(DataSourceFactory factory) {
        if (factory == openingFactory) {
            openingFactory = null; // the opener sees this and closes what it opened
        }
        if (factory == openFactory) {
            close();
        }
    }

    /** Also waits for an opening in progress, so no thread outlives the component. */
    @Deactivate
    void deactivate() throws InterruptedException {
        Thread running;
        synchronized (this) {
            stopped = true;
            openingFactory = null;
            running = opener;
            close();
        }
        if (running != null) {
            // Bounded: a database that does not answer must not hold up the framework's stop forever.
            running.join(OPENER_JOIN_MILLIS);
        }
    }

    /** Runs on the opener thread: opens and migrates, then publishes unless the factory went meanwhile. */
    private void open(DataSourceFactory factory) {
        long started = System.nanoTime();
        RegistryDatabase opened;
        try {
            opened = RegistryDatabase.open(kind, dataSource(factory), config.maxConnections());
        } catch (RuntimeException | SQLException e) {
            // Logged without the URL's parameters or the password; the cause names the problem.
            LOG.error("Cannot open the accounts registry on {}: {}", kind.id(), e.getMessage(), e);
            synchronized (this) {
                if (openingFactory == factory) {
                    openingFactory = null;
                }
                forgetOpener();
            }
            return;
        }
        synchronized (this) {
            forgetOpener();
            if (openingFactory != factory) {
                opened.close();
                return;
            }
            openingFactory = null;
            database = opened;
            publish(factory, started);
        }
    }

    /** Called by the opener under this lock; a newer opener (for another factory) stays known. */
    private void forgetOpener() {
        if (opener == Thread.currentThread()) {
            opener = null;
        }
    }

    private void publish(DataSourceFactory factory, long started) {
        openFactory = factory;
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Registry.DATABASE_PROPERTY, kind.id());
        properties.put(Constants.SERVICE_DESCRIPTION, "Sliceplane accounts registry on " + kind.id());
        registration = context.registerService(Registry.class, new JdbcRegistry(database, Clock.systemUTC()), properties);
        // Internal to this bundle: credentials exchange API keys and passwords, and nodes join, through these.
        apiKeysRegistration = context.registerService(ApiKeys.class,
                new ApiKeys(database, Clock.systemUTC(), new SecureRandom()), new Hashtable<>(Map.of(
                        Registry.DATABASE_PROPERTY, kind.id())));
        passwordsRegistration = context.registerService(Passwords.class, new Passwords(database,
                new PasswordHasher(PasswordHasher.DEFAULT, new SecureRandom()), Clock.systemUTC()),
                new Hashtable<>(Map.of(Registry.DATABASE_PROPERTY, kind.id())));
        bootstrapsRegistration = context.registerService(NodeBootstraps.class,
                new NodeBootstraps(database, Clock.systemUTC(), new SecureRandom()), new Hashtable<>(Map.of(
                        Registry.DATABASE_PROPERTY, kind.id())));
        long millis = (System.nanoTime() - started) / 1_000_000;
        // A schema change is worth a line in the log; an ordinary start is not.
        if (database.migrationsApplied() > 0) {
            LOG.info("Accounts registry on {}: {} migrations applied in {} ms", kind.id(),
                    database.migrationsApplied(), millis);
        } else {
            LOG.debug("Accounts registry on {} in {} ms", kind.id(), millis);
        }
    }

    private DataSource dataSource(DataSourceFactory factory) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty(DataSourceFactory.JDBC_URL, kind.connectUrl(jdbcUrl));
        if (!config.user().isEmpty()) {
            properties.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config.password().isEmpty()) {
            properties.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password());
        }
        return factory.createDataSource(properties);
    }

    private void close() {
        if (passwordsRegistration != null) {
            passwordsRegistration.unregister();
            passwordsRegistration = null;
        }
        if (bootstrapsRegistration != null) {
            bootstrapsRegistration.unregister();
            bootstrapsRegistration = null;
        }
        if (apiKeysRegistration != null) {
            apiKeysRegistration.unregister();
            apiKeysRegistration = null;
        }
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
        openFactory = null;
    }
}
