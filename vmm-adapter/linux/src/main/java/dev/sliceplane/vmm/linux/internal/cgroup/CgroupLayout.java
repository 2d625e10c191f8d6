package dev.sliceplane.vmm.linux.internal.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.sliceplane.vmm.linux.internal.cgroup.MountTable.Mount;

/**
 * Which cgroup layout this machine has, detected from the mount table: pure v2 (a cgroup2
 * mount whose {@code cgroup.controllers} offers cpu, memory and pids), v1 (separate
 * hierarchies for cpu, cpuacct, memory and pids, perhaps beside an empty cgroup2 mount, the
 * "hybrid" layout), or neither.
 */
public sealed interface CgroupLayout {

    /** Controllers v2 needs. */
    Set<String> V2_CONTROLLERS = Set.of("cpu", "memory", "pids");
    /** Controllers v1 needs; {@code freezer} is used when present. */
    List<String> V1_CONTROLLERS = List.of("cpu", "cpuacct", "memory", "pids");

    /** cgroup v2: one hierarchy at {@code mount}. */
    record V2(Path mount) implements CgroupLayout {
    }

    /**
     * cgroup v1: the mount point of each controller's hierarchy (two controllers share one when
     * they are mounted together). {@code freezer} is absent when not mounted.
     */
    record V1(Map<String, Path> controllers) implements CgroupLayout {
        public V1 {
            controllers = Map.copyOf(controllers);
        }
    }

    /** Neither layout is usable; {@code reason} says what was found. */
    record Unsupported(String reason) implements CgroupLayout {
    }

    /** Reads this machine's {@code /proc/self/mountinfo}. */
    static CgroupLayout detect() {
        try {
            return detect(Files.readAllLines(Path.of("/proc/self/mountinfo")), CgroupLayout::readControllers);
        } catch (IOException e) {
            return new Unsupported("cannot read /proc/self/mountinfo: " + e.getMessage());
        }
    }

    /**
     * Detects the layout from mountinfo lines.
     *
     * @param controllersOf reads a cgroup2 mount's {@code cgroup.controllers} (empty when unreadable)
     */
    static CgroupLayout detect(List<String> mountinfoLines, Function<Path, String> controllersOf) {
        List<Mount> mounts = MountTable.cgroupMounts(mountinfoLines);
        List<String> v2Found = new ArrayList<>();
        for (Mount mount : mounts) {
            if (mount.type().equals("cgroup2")) {
                Set<String> offered = new TreeSet<>(List.of(controllersOf.apply(mount.mountPoint()).trim().split("\\s+")));
                offered.remove("");
                if (offered.containsAll(V2_CONTROLLERS)) {
                    return new V2(mount.mountPoint());
                }
                v2Found.add(mount.mountPoint() + " (controllers: " + (offered.isEmpty() ? "none" : String.join(" ", offered)) + ")");
            }
        }
        Map<String, Path> v1 = new LinkedHashMap<>();
        for (Mount mount : mounts) {
            if (mount.type().equals("cgroup")) {
                for (String controller : List.of("cpu", "cpuacct", "memory", "pids", "freezer")) {
                    if (mount.superOptions().contains(controller)) {
                        v1.putIfAbsent(controller, mount.mountPoint());
                    }
                }
            }
        }
        if (v1.keySet().containsAll(V1_CONTROLLERS)) {
            return new V1(v1);
        }
        List<String> missing = new ArrayList<>(V1_CONTROLLERS);
        missing.removeAll(v1.keySet());
        return new Unsupported("no cgroup2 mount offers cpu, memory and pids"
                + (v2Found.isEmpty() ? " (none mounted)" : " (found " + String.join(", ", v2Found) + ")")
                + ", and no cgroup v1 hierarchy is mounted for " + String.join(", ", missing));
    }

    private static String readControllers(Path mount) {
        try {
            return Files.readString(mount.resolve("cgroup.controllers"));
        } catch (IOException e) {
            return "";
        }
    }
}
