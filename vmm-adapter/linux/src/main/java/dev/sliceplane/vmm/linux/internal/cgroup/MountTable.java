package dev.sliceplane.vmm.linux.internal.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The mounts of {@code /proc/self/mountinfo} that matter here: cgroup v1 hierarchies and cgroup2
 * mounts. Read instead of assuming {@code /sys/fs/cgroup/...}, because distributions and
 * containers mount them in different places and combinations ({@code cpu,cpuacct} together or apart).
 */
public final class MountTable {

    /**
     * One mount.
     *
     * @param mountPoint   where it is mounted
     * @param type         the filesystem type ({@code cgroup} or {@code cgroup2})
     * @param superOptions the per-superblock options; for cgroup v1 they name the controllers
     */
    public record Mount(Path mountPoint, String type, Set<String> superOptions) {
    }

    private MountTable() {
    }

    /** The cgroup and cgroup2 mounts among mountinfo lines; other and malformed lines are skipped. */
    public static List<Mount> cgroupMounts(List<String> mountinfoLines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfoLines) {
            // id parent major:minor root mount-point options [optional fields...] - type source super-options
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                continue;
            }
            String type = after[0];
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                mounts.add(new Mount(Path.of(unescape(before[4])), type, Set.of(after[2].split(","))));
            }
        }
        return mounts;
    }

    /** Undoes the kernel's octal escapes ({@code \040} for a space) in mountinfo paths. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
