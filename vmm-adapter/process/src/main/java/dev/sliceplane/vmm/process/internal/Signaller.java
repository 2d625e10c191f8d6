package dev.sliceplane.vmm.process.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.vmm.api.VmmException;

/**
 * Sends signals to processes. Java can send SIGTERM and SIGKILL but not SIGSTOP or SIGCONT,
 * and starting a {@code kill} process for every throttle step would cost more than the
 * step. So one long-lived {@code /bin/sh} reads "SIGNAL pid pid …" lines and runs its
 * built-in {@code kill}; signals go out in the order they were sent, whatever their kind.
 *
 * <p>Delivery is asynchronous: callers that need a process gone look at /proc afterwards.
 * Thread-safe: the guard and the backend's callers share one signaller.
 */
final class Signaller implements AutoCloseable {

    /** The signals this backend sends. */
    enum Signal { TERM, KILL, STOP, CONT }

    private static final Logger LOG = LoggerFactory.getLogger(Signaller.class);
    private static final String LOOP = "while read -r s p; do kill -s \"$s\" $p 2>/dev/null; done";

    private final String shell;
    private Process helper; // guarded by this
    private boolean closed; // guarded by this

    Signaller(String shell) {
        this.shell = shell;
    }

    synchronized void send(Signal signal, Collection<Long> pids) {
        if (pids.isEmpty() || closed) {
            return;
        }
        StringBuilder line = new StringBuilder(signal.name());
        pids.forEach(pid -> line.append(' ').append(pid));
        byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                OutputStream in = helper().getOutputStream();
                in.write(bytes);
                in.flush();
                return;
            } catch (IOException e) {
                LOG.warn("signal helper failed ({}); starting a new one", e.toString());
                helper = null;
            }
        }
        throw new VmmException(VmmException.Reason.BACKEND_FAILURE,
                "cannot send SIG" + signal + ": the signal helper (" + shell + ") does not run");
    }

    /** Lets every signal sent so far be delivered, then ends the helper. */
    @Override
    public synchronized void close() {
        closed = true;
        if (helper == null) {
            return;
        }
        try {
            helper.getOutputStream().close();
            if (!helper.waitFor(2, TimeUnit.SECONDS)) {
                helper.destroyForcibly();
            }
        } catch (IOException e) {
            helper.destroyForcibly();
        } catch (InterruptedException e) {
            helper.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        helper = null;
    }

    private Process helper() throws IOException {
        if (helper == null || !helper.isAlive()) {
            helper = new ProcessBuilder(shell, "-c", LOOP)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        }
        return helper;
    }
}
