package dev.sliceplane.vmm.process.internal;

/**
 * One line of {@code /proc/<pid>/stat}, the fields this backend needs. Times are in clock
 * ticks ({@code USER_HZ}), memory in pages.
 *
 * <p>The command name (field 2) is the only field that may hold spaces or parentheses, so
 * the line is split after its <em>last</em> {@code ')'}.
 *
 * @param pid        process id (field 1)
 * @param comm       command name, without the parentheses (field 2)
 * @param state      R, S, D, T, Z, … (field 3)
 * @param ppid       parent (field 4)
 * @param session    session id (field 6); our supervisors lead their sessions, so it is theirs
 * @param utime      user time of this process (field 14)
 * @param stime      system time of this process (field 15)
 * @param cutime     user time of its waited-for children (field 16)
 * @param cstime     system time of its waited-for children (field 17)
 * @param nice       nice value (field 19)
 * @param threads    number of threads (field 20)
 * @param startTicks start time after boot (field 22); with the pid, it names one process
 * @param rssPages   resident set size (field 24), the same counter as statm's "resident"
 */
record ProcStat(long pid, String comm, char state, long ppid, long session, long utime, long stime,
                long cutime, long cstime, int nice, int threads, long startTicks, long rssPages) {

    static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 > line.length()) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] f = line.substring(close + 2).trim().split(" +");
        if (f.length < 22) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + line);
        }
        // f[0] is field 3 (state): field n is f[n - 3].
        return new ProcStat(Long.parseLong(line.substring(0, open).trim()), line.substring(open + 1, close),
                f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[11]),
                Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]), Integer.parseInt(f[16]),
                Integer.parseInt(f[17]), Long.parseLong(f[19]), Long.parseLong(f[21]));
    }

    ProcessKey key() {
        return new ProcessKey(pid, startTicks);
    }

    /** False for a zombie or a dead task: it runs no more and holds no memory, only its pid. */
    boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    boolean stopped() {
        return state == 'T';
    }

    /** A session leader: for a sliver's session, that is the program's supervisor. */
    boolean leadsSession() {
        return pid == session;
    }

    long ownTicks() {
        return utime + stime;
    }

    long childTicks() {
        return cutime + cstime;
    }
}
