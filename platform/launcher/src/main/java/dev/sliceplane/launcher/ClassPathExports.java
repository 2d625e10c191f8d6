package dev.sliceplane.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The packages that libraries on the launcher's class path export to the bundles, through the
 * system bundle.
 *
 * <p>Logging (slf4j's API and its simple binding) runs on the class path, not as bundles:
 * slf4j 2 finds its binding with {@link java.util.ServiceLoader}, which inside OSGi needs a
 * ServiceLoader Mediator (Aries SPI Fly). The mediator weaves every class of each bundle that
 * declares itself a consumer — Jetty's included — with ASM at every start, and woven classes
 * cannot come from the class-data archive; that was about a sixth of a boot's CPU. On the
 * class path the JDK's own ServiceLoader finds the binding, and bundles import the packages
 * from the system bundle at the versions the API jar itself declares (2.x and 1.7 for older
 * importers), read from its manifest so an upgrade needs no change here.
 */
final class ClassPathExports {

    /** Symbolic names of the class-path libraries whose packages bundles import. */
    static final Set<String> EXPORTED_LIBRARIES = Set.of("slf4j.api");

    private ClassPathExports() {
    }

    /** The Export-Package clauses of those libraries, joined for {@code org.osgi.framework.system.packages.extra}. */
    static List<String> of(ClassLoader loader) {
        List<String> exports = new ArrayList<>();
        try {
            Enumeration<URL> manifests = loader.getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                try (InputStream in = manifests.nextElement().openStream()) {
                    Attributes main = new Manifest(in).getMainAttributes();
                    String name = main.getValue("Bundle-SymbolicName");
                    String exported = main.getValue("Export-Package");
                    if (name != null && exported != null && EXPORTED_LIBRARIES.contains(name.split(";")[0].strip())) {
                        exports.add(exported);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path's manifests", e);
        }
        return exports;
    }
}
