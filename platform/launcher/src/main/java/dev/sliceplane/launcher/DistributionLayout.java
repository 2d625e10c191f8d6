package dev.sliceplane.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where things live. The home is the read-only distribution ({@code lib/}, {@code bundles/},
 * {@code etc/}); the data directory is the node's own state, so one distribution can serve
 * several nodes and be replaced on upgrade without losing configuration.
 */
record DistributionLayout(Path home, Path dataDir) {

    DistributionLayout {
        home = home.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    Path bundlesDir() {
        return home.resolve("bundles");
    }

    /** Default configuration shipped with the distribution. */
    Path defaultEtcDir() {
        return home.resolve("etc");
    }

    /** Live configuration, watched by File Install. */
    Path etcDir() {
        return dataDir.resolve("etc");
    }

    Path deployDir() {
        return dataDir.resolve("deploy");
    }

    Path cacheDir() {
        return dataDir.resolve("felix-cache");
    }

    Path frameworkPropertiesFile() {
        return etcDir().resolve("framework.properties");
    }

    /**
     * Creates {@code etc/} and {@code deploy/} under the data directory and copies every default
     * configuration file that is not there yet; files already present are the operator's and stay.
     *
     * @return the files copied, in the data directory
     */
    List<Path> prepareDataDir() throws IOException {
        Files.createDirectories(etcDir());
        Files.createDirectories(deployDir());
        Path defaults = defaultEtcDir();
        if (!Files.isDirectory(defaults)) {
            return List.of();
        }
        List<Path> sources;
        try (Stream<Path> files = Files.walk(defaults)) {
            sources = files.filter(Files::isRegularFile).sorted().toList();
        }
        List<Path> copied = new ArrayList<>();
        for (Path source : sources) {
            Path target = etcDir().resolve(defaults.relativize(source).toString());
            if (Files.exists(target)) {
                continue;
            }
            Files.createDirectories(target.getParent());
            try {
                Files.copy(source, target);
                copied.add(target);
            } catch (FileAlreadyExistsException e) {
                // created meanwhile by someone else: theirs wins, as for any existing file
            }
        }
        return copied;
    }

    /** The parent of the directory holding the launcher jar, i.e. {@code <home>/lib/..}. */
    static Path defaultHome() {
        try {
            CodeSource source = DistributionLayout.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path lib = Path.of(source.getLocation().toURI()).getParent();
                if (lib != null && lib.getParent() != null) {
                    return lib.getParent();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // not loaded from a file (unusual class loader): fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
