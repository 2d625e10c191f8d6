package dev.sliceplane.launcher;

import java.io.PrintStream;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Every problem the operator should see goes through here: one line on stderr, prefixed
 * {@code sliceplane: }, with a stack trace only when {@code -Dsliceplane.debug=true}.
 */
final class ProblemReporter implements FrameworkListener {

    private static final String PREFIX = "sliceplane: ";
    private static final String[] LEVELS = {"", "", "warning: ", "info: ", "debug: "};

    private final PrintStream out;
    private final boolean debug;
    /** Felix logs a failure and fires it as an event too; each throwable is printed once. Guarded by itself. */
    private final Set<Throwable> reported = Collections.newSetFromMap(new WeakHashMap<>());

    ProblemReporter(PrintStream out, boolean debug) {
        this.out = out;
        this.debug = debug;
    }

    void report(String message) {
        out.println(PREFIX + message);
    }

    void report(String what, Throwable failure) {
        if (failure == null) {
            report(what);
            return;
        }
        synchronized (reported) {
            if (!reported.add(failure)) {
                return;
            }
        }
        report(what + ": " + describe(failure));
        if (debug) {
            failure.printStackTrace(out);
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR) {
            report(name(event.getBundle()), event.getThrowable());
        }
    }

    /** A line of Felix's own log, at or below {@code felix.log.level} (1 error … 4 debug). */
    void log(int level, String message, Throwable failure) {
        String text = message;
        // Felix appends " (<throwable>)"; we describe the throwable ourselves.
        String suffix = failure == null ? null : " (" + failure + ")";
        if (suffix != null && text.endsWith(suffix)) {
            text = text.substring(0, text.length() - suffix.length());
        }
        report((level >= 0 && level < LEVELS.length ? LEVELS[level] : "") + text, failure);
    }

    /** The throwable's message and, when it wraps another, the root cause: one line. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (root != failure) {
            String cause = root.getClass().getSimpleName();
            text += ": " + (root.getMessage() == null ? cause : cause + ": " + root.getMessage());
        }
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String name(Bundle bundle) {
        if (bundle == null || bundle.getBundleId() == 0) {
            return "framework";
        }
        String name = bundle.getSymbolicName() == null ? bundle.getLocation() : bundle.getSymbolicName();
        return name + " [" + bundle.getBundleId() + "]";
    }
}
