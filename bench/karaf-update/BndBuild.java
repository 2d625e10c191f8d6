import java.io.File;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;

/**
 * Wraps compiled classes into an OSGi bundle with bndlib (manifest and
 * Declarative Services XML generated from the annotations).
 * Usage: java -cp bndlib+deps BndBuild.java OUT.jar CLASSES_DIR BSN PACKAGE [CLASSPATH_JAR...]
 */
public class BndBuild {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: BndBuild OUT.jar CLASSES_DIR BSN PACKAGE [CLASSPATH_JAR...]");
            System.exit(2);
        }
        try (Builder b = new Builder()) {
            b.setProperty("Bundle-SymbolicName", args[2]);
            b.setProperty("Bundle-Version", "1.0.0");
            b.setProperty("Private-Package", args[3]);
            b.setProperty("-noextraheaders", "true");
            b.addClasspath(new File(args[1]));
            for (int i = 4; i < args.length; i++) {
                b.addClasspath(new File(args[i]));
            }
            Jar jar = b.build();
            for (String w : b.getWarnings()) {
                System.err.println("bnd warning: " + w);
            }
            if (!b.isOk()) {
                for (String e : b.getErrors()) {
                    System.err.println("bnd error: " + e);
                }
                System.exit(1);
            }
            jar.write(new File(args[0]));
        }
    }
}
