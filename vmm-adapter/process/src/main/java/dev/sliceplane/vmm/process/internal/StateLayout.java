package dev.sliceplane.vmm.process.internal;

import java.nio.file.Path;

/**
 * Where things live under the backend's state directory (the contract's layout):
 * <pre>
 * slivers/&lt;name&gt;/sliver.json          the sliver's record
 * slivers/&lt;name&gt;/home/                where programs run; counts against the disk quota
 * slivers/&lt;name&gt;/usage.json           CPU meter and memory peak, so they survive a restart
 * slivers/&lt;name&gt;/guard.json           what the guard killed
 * slivers/&lt;name&gt;/programs/&lt;id&gt;/     program.json, stdout, stderr, pid, times, exit
 * trash/                               slivers being destroyed
 * orphans.json                         orphans already reported
 * </pre>
 */
record StateLayout(Path root) {

    Path slivers() {
        return root.resolve("slivers");
    }

    Path trash() {
        return root.resolve("trash");
    }

    Path orphans() {
        return root.resolve("orphans.json");
    }

    SliverPaths sliver(String name) {
        return new SliverPaths(slivers().resolve(name));
    }

    /** The files of one sliver. */
    record SliverPaths(Path dir) {

        Path record() {
            return dir.resolve("sliver.json");
        }

        Path home() {
            return dir.resolve("home");
        }

        Path usage() {
            return dir.resolve("usage.json");
        }

        Path guard() {
            return dir.resolve("guard.json");
        }

        Path programs() {
            return dir.resolve("programs");
        }

        ProgramPaths program(String id) {
            return new ProgramPaths(programs().resolve(id));
        }
    }

    /** The files of one program. */
    record ProgramPaths(Path dir) {

        Path record() {
            return dir.resolve("program.json");
        }

        Path stdout() {
            return dir.resolve("stdout");
        }

        Path stderr() {
            return dir.resolve("stderr");
        }

        /** The program's pid, written by the supervisor just before it runs the program. */
        Path pid() {
            return dir.resolve("pid");
        }

        /** The supervisor's own and its children's CPU times, written when the program ended. */
        Path times() {
            return dir.resolve("times");
        }

        /** The exit code, renamed into place when the program ended. */
        Path exit() {
            return dir.resolve("exit");
        }
    }
}
