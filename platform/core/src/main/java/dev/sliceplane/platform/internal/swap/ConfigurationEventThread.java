package dev.sliceplane.platform.internal.swap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/**
 * Learns which kernel thread Configuration Admin delivers its events on. The component runtime
 * applies a changed configuration there, so that thread carries a swap's ranking-up to the
 * consumers, and the swap raises it ({@link RebindPriority}) before it makes the change.
 */
final class ConfigurationEventThread implements ConfigurationListener {

    private volatile Thread thread;
    private volatile int tid = -1;

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        Thread current = Thread.currentThread();
        if (current != thread) {
            tid = currentThreadId();
            thread = current;
        }
    }

    /** The thread's kernel id, once an event has been delivered; empty off Linux. */
    OptionalInt id() {
        int known = tid;
        return known < 0 ? OptionalInt.empty() : OptionalInt.of(known);
    }

    /**
     * {@code /proc/thread-self} links to {@code <pid>/task/<tid>}. Read there, not through
     * {@link LinuxScheduling}: events come from boot on, and JNA loads only at the first swap.
     */
    private static int currentThreadId() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
