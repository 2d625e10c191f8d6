package dev.sliceplane.accounts.internal;

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
 */
@Component(immediate = true, service = {}, configurationPid = AccountsRegistryComponent.PID)
@Designate(ocd = AccountsRegistryComponent.Config.class)
public final class AccountsRegistryComponent {

    static final String PID = "dev.sliceplane.accounts";
    private static final Logger LOG = LoggerFactory.getLogger(AccountsRegistryComponent.class);

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

    // Guarded by this: the open database, the factory it came from, and its service.
    private DataSourceFactory openFactory;
    private RegistryDatabase database;
    private ServiceRegistration<Registry> registration;
    private ServiceRegistration<ApiKeys> apiKeysRegistration;
    private ServiceRegistration<Passwords> passwordsRegistration;
    private ServiceRegistration<NodeBootstraps> bootstrapsRegistration;

    /** Runs only on an authority ({@link AuthorityRole}): a joined node opens no registry. */
    @Activate
    public AccountsRegistryComponent(BundleContext context, Config config, @Reference AuthorityRole role) {
        this.context = context;
        this.config = config;
        this.jdbcUrl = config.jdbcUrl().isBlank()
                ? DatabaseKind.embeddedUrl(AccountsPaths.accountsDirectory(context))
                : config.jdbcUrl().strip();
        this.kind = DatabaseKind.of(jdbcUrl);
    }

    /** Called for every driver's factory; opens the database with the one its URL needs. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addDataSourceFactory(DataSourceFactory factory, Map<String, Object> properties) {
        if (database == null && kind.driverClass().equals(properties.get(DataSourceFactory.OSGI_JDBC_DRIVER_CLASS))) {
            open(factory);
        }
    }

    synchronized void removeDataSourceFactory(DataSourceFactory factory) {
        if (factory == openFactory) {
            close();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        close();
    }

    private void open(DataSourceFactory factory) {
        long started = System.nanoTime();
        try {
            database = RegistryDatabase.open(kind, dataSource(factory), config.maxConnections());
        } catch (RuntimeException | SQLException e) {
            // Logged without the URL's parameters or the password; the cause names the problem.
            LOG.error("Cannot open the accounts registry on {}: {}", kind.id(), e.getMessage(), e);
            return;
        }
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
