package dev.sliceplane.vmm.process.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.process.internal.Signaller.Signal;

/**
 * Ends every process of a sliver: SIGTERM (followed by SIGCONT, so a stopped process gets
 * to handle it), SIGKILL after the grace, and again at whatever appears meanwhile, until
 * none is left, because a fork bomb keeps forking while it is being killed. The supervisors
 * are spared until their programs are gone so they can record the exit codes; then they end
 * by themselves, and are killed only if they linger.
 */
final class Terminator {

    private static final long POLL_MILLIS = 10;
    private static final Duration SUPERVISOR_WAIT = Duration.ofSeconds(2);

    private final Path proc;
    private final Signaller signaller;

    Terminator(Path proc, Signaller signaller) {
        this.proc = proc;
        this.signaller = signaller;
    }

    /**
     * Returns once no process of the sliver is left.
     *
     * @param members the sliver's processes
     * @param grace   how long processes get after SIGTERM; zero kills at once
     * @param timeout how long to keep killing before giving up
     * @throws VmmException {@code BACKEND_FAILURE} when processes survive the timeout
     */
    void terminate(String sliver, SliverProcesses members, Duration grace, Duration timeout) {
        if (!grace.isZero() && !grace.isNegative()) {
            askToStop(members, grace);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> left = killWorkers(members, deadline);
        if (!left.isEmpty()) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "processes of sliver " + sliver
                    + " survived SIGKILL for " + timeout.toSeconds() + " s: " + left);
        }
        awaitSupervisors(members, System.nanoTime() + SUPERVISOR_WAIT.toNanos());
        left = pids(members.supervisors(scan()));
        while (!left.isEmpty()) {
            signaller.send(Signal.KILL, left);
            if (System.nanoTime() > deadline) {
                throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "supervisors of sliver " + sliver
                        + " survived SIGKILL for " + timeout.toSeconds() + " s: " + left);
            }
            pause();
            left = pids(members.supervisors(scan()));
        }
    }

    private void askToStop(SliverProcesses members, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        Set<Long> asked = new HashSet<>();
        while (true) {
            List<Long> workers = pids(members.workers(scan()));
            if (workers.isEmpty()) {
                return;
            }
            List<Long> fresh = new ArrayList<>();
            for (Long pid : workers) {
                if (asked.add(pid)) {
                    fresh.add(pid);
                }
            }
            signaller.send(Signal.TERM, fresh);
            signaller.send(Signal.CONT, fresh); // a stopped process handles SIGTERM only once continued
            if (System.nanoTime() > deadline) {
                return;
            }
            pause();
        }
    }

    private List<Long> killWorkers(SliverProcesses members, long deadline) {
        while (true) {
            List<Long> workers = pids(members.workers(scan()));
            if (workers.isEmpty() || System.nanoTime() > deadline) {
                return workers;
            }
            signaller.send(Signal.KILL, workers);
            pause();
        }
    }

    private void awaitSupervisors(SliverProcesses members, long deadline) {
        while (!members.supervisors(scan()).isEmpty() && System.nanoTime() < deadline) {
            pause();
        }
    }

    private static List<Long> pids(List<ProcStat> processes) {
        List<Long> pids = new ArrayList<>();
        processes.forEach(p -> pids.add(p.pid()));
        return pids;
    }

    private ProcessTable scan() {
        return ProcessTable.scan(proc);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "interrupted while ending processes");
        }
    }
}
