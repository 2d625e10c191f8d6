package dev.sliceplane.accounts.internal.db;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The databases the registry runs on, told apart by the JDBC URL. Each names the driver class
 * its OSGi {@code DataSourceFactory} service is registered under.
 */
public enum DatabaseKind {
    H2("h2", "org.h2.Driver", "jdbc:h2:"),
    POSTGRESQL("postgresql", "org.postgresql.Driver", "jdbc:postgresql:");

    private final String id;
    private final String driverClass;
    private final String urlPrefix;

    DatabaseKind(String id, String driverClass, String urlPrefix) {
        this.id = id;
        this.driverClass = driverClass;
        this.urlPrefix = urlPrefix;
    }

    /** Short name, used as the value of the registry's database service property. */
    public String id() {
        return id;
    }

    /** The {@code osgi.jdbc.driver.class} of the driver's DataSourceFactory. */
    public String driverClass() {
        return driverClass;
    }

    /** @throws IllegalArgumentException for a URL of any other database */
    public static DatabaseKind of(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        for (DatabaseKind kind : values()) {
            if (lower.startsWith(kind.urlPrefix)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("jdbcUrl must start with jdbc:h2: or jdbc:postgresql:, got '" + jdbcUrl + "'");
    }

    /** The embedded default: an H2 file database at {@code <directory>/registry}. */
    public static String embeddedUrl(Path directory) {
        return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("registry");
    }

    /**
     * The URL to connect with. H2 flushes commits to its file only every 500 ms by default, so a
     * killed process loses what was acknowledged in that window: we ask for every commit to be
     * written at once, unless the URL chose otherwise.
     */
    public String connectUrl(String jdbcUrl) {
        if (this == H2 && !jdbcUrl.toUpperCase(Locale.ROOT).contains("WRITE_DELAY=")) {
            return jdbcUrl + ";WRITE_DELAY=0";
        }
        return jdbcUrl;
    }
}
