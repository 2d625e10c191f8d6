package dev.sliceplane.platform.internal.swap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Moves single threads between Linux's normal and real-time scheduling classes. The JDK offers no
 * way to do this (its thread priorities are at most a nice value), so it calls the C library
 * through JNA.
 */
final class LinuxScheduling {

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_FIFO = 1;
    /** The lowest real-time priority: enough to run before every normal thread. */
    private static final int LOWEST_REALTIME = 1;

    /** The calls used, as the C library declares them. */
    private interface LibC extends Library {
        int gettid();

        int sched_setscheduler(int tid, int policy, int[] param) throws LastErrorException;
    }

    private final LibC libc;

    private LinuxScheduling(LibC libc) {
        this.libc = libc;
    }

    /**
     * Loads the C library and checks, on the calling thread, that this process may make a thread
     * real-time (CAP_SYS_NICE, or a real-time limit above zero).
     *
     * @throws UnsupportedOperationException saying why not: not Linux, no JNA for this platform,
     *     or not permitted
     */
    static LinuxScheduling load() {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("real-time threads are only used on Linux, this is " + System.getProperty("os.name"));
        }
        try {
            LinuxScheduling scheduling = new LinuxScheduling(Native.load("c", LibC.class));
            int self = scheduling.currentThreadId();
            try {
                scheduling.makeRealtime(self);
            } finally {
                scheduling.makeNormal(self);
            }
            return scheduling;
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("the C library's calls are not available: " + e.getMessage(), e);
        }
    }

    /** The kernel's id of the calling thread, as {@code /proc/self/task} lists it. */
    int currentThreadId() {
        return libc.gettid();
    }

    /**
     * Puts the thread in the real-time FIFO class at the lowest priority: it runs as soon as it is
     * runnable, before every normal thread, until it blocks or is made normal again.
     */
    void makeRealtime(int tid) {
        setScheduler(tid, SCHED_FIFO, LOWEST_REALTIME);
    }

    /** Returns the thread to the normal class (its nice value is kept). */
    void makeNormal(int tid) {
        setScheduler(tid, SCHED_OTHER, 0);
    }

    private void setScheduler(int tid, int policy, int priority) {
        try {
            libc.sched_setscheduler(tid, policy, new int[] {priority});
        } catch (LastErrorException e) {
            throw new UnsupportedOperationException("sched_setscheduler(" + tid + ", " + policy + ") failed: errno "
                    + e.getErrorCode() + (e.getErrorCode() == 1 ? " (not permitted: needs CAP_SYS_NICE)" : ""), e);
        }
    }
}
