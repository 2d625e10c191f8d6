package dev.sliceplane.vmm.linux.internal.cgroup;

/**
 * Signals to processes by id, without forking {@code kill(1)}: {@link ProcessHandle} sends
 * SIGTERM ({@code destroy}) and SIGKILL ({@code destroyForcibly}) to any process, and checks the
 * start time so a reused pid is not hit.
 */
public final class Signals {

    private Signals() {
    }

    public static void terminate(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
