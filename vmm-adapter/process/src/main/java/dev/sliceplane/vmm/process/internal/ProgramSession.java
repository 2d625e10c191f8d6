package dev.sliceplane.vmm.process.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The session a program's supervisor created with {@code setsid}: its id is the supervisor's
 * pid. Everything the program starts stays in it unless it calls {@code setsid} itself.
 *
 * <p>A session id cannot be handed out again while any process still uses it, but once the
 * session is empty the pid can be reused by an unrelated process that starts a session of
 * its own. So a process counts as a member only if it started after our launch, and not at
 * all when the pid now belongs to another leader than the one recorded.
 *
 * @param sid         the session id, the supervisor's pid
 * @param leaderStart the supervisor's start time in ticks, or -1 if it ended before it was read
 * @param notBefore   a tick count at or before the launch: members cannot be older
 */
record ProgramSession(long sid, long leaderStart, long notBefore) {

    /** The supervisor's identity, when its start time is known. */
    Optional<ProcessKey> leader() {
        return leaderStart < 0 ? Optional.empty() : Optional.of(new ProcessKey(sid, leaderStart));
    }

    /** This session's processes in the snapshot, zombies included. */
    List<ProcStat> members(ProcessTable table) {
        Optional<ProcStat> holder = table.get(sid);
        if (holder.isPresent() && !isOurLeader(holder.get())) {
            return List.of(); // the pid was reused: whatever session it leads is not ours
        }
        List<ProcStat> members = new ArrayList<>();
        for (ProcStat p : table.session(sid)) {
            if (p.startTicks() >= notBefore) {
                members.add(p);
            }
        }
        return members;
    }

    /** Whether this process is our supervisor, alive or not yet reaped. */
    boolean isOurLeader(ProcStat p) {
        if (p.pid() != sid) {
            return false;
        }
        return leaderStart >= 0 ? p.startTicks() == leaderStart : p.startTicks() >= notBefore;
    }
}
