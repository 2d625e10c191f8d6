package dev.sliceplane.vmm.process.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sliceplane.vmm.api.VmmException;

/**
 * A snapshot of every process's {@code stat} line, indexed by pid and by session. A sliver's
 * processes are found by session, so one pass over /proc serves all slivers.
 *
 * <p>The reader reuses one buffer and a plain stream: a scan of a few hundred processes
 * takes a millisecond or two, which matters because the guard scans every period.
 */
final class ProcessTable implements ProcessLookup {

    private final Map<Long, ProcStat> byPid;
    private final Map<Long, List<ProcStat>> bySession;

    private ProcessTable(Map<Long, ProcStat> byPid) {
        this.byPid = byPid;
        this.bySession = new HashMap<>();
        for (ProcStat p : byPid.values()) {
            bySession.computeIfAbsent(p.session(), s -> new ArrayList<>()).add(p);
        }
    }

    static ProcessTable of(List<ProcStat> processes) {
        Map<Long, ProcStat> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        return new ProcessTable(byPid);
    }

    /** Reads every process under {@code proc}; processes that exit meanwhile are skipped. */
    static ProcessTable scan(Path proc) {
        Map<Long, ProcStat> byPid = new HashMap<>();
        byte[] buffer = new byte[4096];
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isPid(name)) {
                    read(entry.resolve("stat"), buffer).ifPresent(p -> byPid.put(p.pid(), p));
                }
            }
        } catch (IOException e) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "cannot list " + proc + ": " + e, e);
        }
        return new ProcessTable(byPid);
    }

    /** Reads one process now. */
    static Optional<ProcStat> read(Path proc, long pid) {
        return read(proc.resolve(Long.toString(pid)).resolve("stat"), new byte[4096]);
    }

    /** A lookup that reads /proc on every call: for a few pids, cheaper than a scan. */
    static ProcessLookup live(Path proc) {
        return pid -> read(proc, pid);
    }

    @Override
    public Optional<ProcStat> get(long pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    /** Every process, zombies included, whose session is {@code sid}. */
    List<ProcStat> session(long sid) {
        return bySession.getOrDefault(sid, List.of());
    }

    List<ProcStat> all() {
        return List.copyOf(byPid.values());
    }

    private static Optional<ProcStat> read(Path stat, byte[] buffer) {
        try (InputStream in = new FileInputStream(stat.toFile())) {
            int length = 0;
            int n;
            while ((n = in.read(buffer, length, buffer.length - length)) > 0) {
                length += n;
                if (length == buffer.length) {
                    break;
                }
            }
            return Optional.of(ProcStat.parse(new String(buffer, 0, length, StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone between listing and reading, or unreadable
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
