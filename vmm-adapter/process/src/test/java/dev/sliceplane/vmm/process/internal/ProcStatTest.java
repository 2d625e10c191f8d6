package dev.sliceplane.vmm.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    /** Fields 3..24 of a real line, after the command name. */
    private static final String REST = "S 100 200 300 0 -1 4194560 500 0 0 0 11 22 33 44 20 5 3 0 987654 1234567 89";

    @Test
    void parsesTheFieldsItNeeds() {
        ProcStat p = ProcStat.parse("4242 (sleep) " + REST);
        assertEquals(4242, p.pid());
        assertEquals("sleep", p.comm());
        assertEquals('S', p.state());
        assertEquals(100, p.ppid());
        assertEquals(300, p.session());
        assertEquals(11, p.utime());
        assertEquals(22, p.stime());
        assertEquals(33, p.cutime());
        assertEquals(44, p.cstime());
        assertEquals(5, p.nice());
        assertEquals(3, p.threads());
        assertEquals(987654, p.startTicks());
        assertEquals(89, p.rssPages());
        assertEquals(new ProcessKey(4242, 987654), p.key());
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat p = ProcStat.parse("7 (evil) S 1 2 3 (name)) " + REST);
        assertEquals("evil) S 1 2 3 (name)", p.comm());
        assertEquals(300, p.session());
        assertEquals(987654, p.startTicks());
    }

    @Test
    void zombiesAreNotAlive() {
        assertFalse(ProcStat.parse("9 (defunct) Z" + REST.substring(1)).alive());
        assertTrue(ProcStat.parse("9 (x) T" + REST.substring(1)).stopped());
    }

    @Test
    void aTruncatedLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("12 (short) S 1 2"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("garbage"));
    }

    @Test
    void readsThisProcess() {
        ProcStat self = ProcessTable.read(Path.of("/proc"), ProcessHandle.current().pid()).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.threads() > 1);
        assertTrue(self.rssPages() > 0);
    }

    @Test
    void aSysctlFileIsReadWhole() throws Exception {
        // Files.readString reads one byte first, and a sysctl file answers the next read with EOF
        String pidMax = ProcFiles.read(Path.of("/proc/sys/kernel/pid_max")).trim();
        assertTrue(Long.parseLong(pidMax) >= 301, pidMax);
    }
}
