package dev.sliceplane.vmm.process.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The small {@code /bin/sh} program that runs each launched program and outlives it to write
 * down how it ended, so the exit code is known even when the JVM was down at the time.
 *
 * <p>It is started as {@code setsid [nice -n N] /bin/sh -c SCRIPT sliceplane-supervisor DIR MV AS AG
 * COMMAND...}: {@code setsid} gives it a session of its own (no terminal, so Ctrl-C on the
 * node's console cannot reach the sliver, and every process the program starts is found by
 * that session's id, the supervisor's pid). The command travels as separate arguments and
 * runs as {@code "$@"}: it is never pasted into shell text. The script:
 * <ol>
 * <li>sets the session's autogroup nice (the scheduler's CPU weight for the whole session);</li>
 * <li>ignores nothing but traps TERM, INT and HUP, so a signal to the whole group cannot take
 * the exit record with it (a trapped signal reverts to its default in the program);</li>
 * <li>runs the program through a second {@code sh} that writes its own pid (the program's pid,
 * since it then execs), applies RLIMIT_AS with {@code ulimit -v}, and execs the command with
 * stdin from /dev/null, stdout and stderr to the program's files;</li>
 * <li>writes {@code times} (its own and its reaped children's CPU time), then the exit code
 * (128 + n after signal n) to {@code exit.tmp} and renames it to {@code exit}.</li>
 * </ol>
 */
final class Supervisor {

    /** {@code $0} of every supervisor: how a restarted backend recognises one in /proc. */
    static final String MARKER = "sliceplane-supervisor";

    static final String SCRIPT = String.join("\n",
            "d=$1 mv=$2 as=$3 ag=$4",
            "shift 4",
            "trap : TERM INT HUP",
            "[ \"$ag\" = - ] || echo \"$ag\" >/proc/self/autogroup 2>/dev/null",
            "/bin/sh -c 'echo $$ >\"$0/pid\"; [ \"$1\" = - ] || ulimit -v \"$1\" || exit 125; shift; exec \"$@\"' "
                    + "\"$d\" \"$as\" \"$@\" </dev/null >\"$d/stdout\" 2>>\"$d/stderr\"",
            "code=$?",
            "times >\"$d/times\"",
            "echo \"$code\" >\"$d/exit.tmp\" && \"$mv\" -f \"$d/exit.tmp\" \"$d/exit\"",
            "");

    private Supervisor() {
    }

    /**
     * The command line that starts a supervised program.
     *
     * @param tools           where setsid, nice, mv and sh are
     * @param programDir      the program's directory (absolute)
     * @param niceIncrement   added to the JVM's nice value, if any
     * @param autogroupNice   the session's autogroup nice, if any
     * @param addressSpaceKib RLIMIT_AS in KiB, if any
     * @param command         the program and its arguments
     */
    static List<String> commandLine(Host.Tools tools, String programDir, OptionalInt niceIncrement,
                                    OptionalInt autogroupNice, OptionalLong addressSpaceKib, List<String> command) {
        List<String> line = new ArrayList<>();
        line.add(tools.setsid());
        if (niceIncrement.isPresent() && niceIncrement.getAsInt() != 0 && tools.nice().isPresent()) {
            line.addAll(List.of(tools.nice().get(), "-n", Integer.toString(niceIncrement.getAsInt())));
        }
        line.addAll(List.of(tools.shell(), "-c", SCRIPT, MARKER, programDir, tools.mv(),
                addressSpaceKib.isPresent() ? Long.toString(addressSpaceKib.getAsLong()) : "-",
                autogroupNice.isPresent() ? Integer.toString(autogroupNice.getAsInt()) : "-"));
        line.addAll(command);
        return line;
    }
}
