package dev.sliceplane.launcher;

import java.net.URLConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;

/**
 * Initialises, on a thread of its own, the JDK facilities whose first use is slow and which the
 * node's start-up meets one after another on the thread that starts the bundles: the locale data
 * (Jetty's MIME types list the available locales, slf4j-simple and Jackson build date formats,
 * Felix Log formats its logger names), the content-type table behind bundle URLs, and SHA-256
 * (key thumbprints). Each facility initialises once per JVM and is thread-safe, so whichever
 * thread gets there first does the work and the other finds it done; a boot profile put these
 * at ~10 % of that thread's samples. Nothing here changes behaviour, and a failure is ignored:
 * the facility is then initialised by its first real user, as without this class.
 */
final class JdkPreinitializer implements Runnable {

    private JdkPreinitializer() {
    }

    /** Starts the work on a daemon thread and returns at once. */
    static void start() {
        Thread thread = new Thread(new JdkPreinitializer(), "sliceplane-preinit-jdk");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            Locale.getAvailableLocales();
            new SimpleDateFormat("HH:mm:ss.SSS").format(new Date());
            DateTimeFormatter.ISO_INSTANT.format(Instant.now());
            String.format(Locale.ROOT, "%s|%d", "preinit", 1);
            URLConnection.getFileNameMap().getContentTypeFor("preinit.class");
            MessageDigest.getInstance("SHA-256").digest(new byte[1]);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            // Left to the first real user.
        }
    }
}
