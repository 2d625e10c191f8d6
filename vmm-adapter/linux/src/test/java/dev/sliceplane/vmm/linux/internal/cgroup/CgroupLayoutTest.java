package dev.sliceplane.vmm.linux.internal.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Layout detection from mountinfo text, as found on real machines. */
class CgroupLayoutTest {

    /** The CI VM: v1 hierarchies with cpu and cpuacct apart, and a cgroup2 mount offering only hugetlb. */
    private static final List<String> HYBRID = List.of(
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
            "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

    @Test
    void hybridWithAControllerlessUnifiedMountIsV1() {
        CgroupLayout layout = CgroupLayout.detect(HYBRID, mount -> "hugetlb\n");
        CgroupLayout.V1 v1 = assertInstanceOf(CgroupLayout.V1.class, layout);
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), v1.controllers().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), v1.controllers().get("cpuacct"));
        assertEquals(Path.of("/sys/fs/cgroup/freezer"), v1.controllers().get("freezer"));
        assertEquals(5, v1.controllers().size());
    }

    @Test
    void coMountedCpuAndCpuacctShareOneHierarchyAndFreezerIsOptional() {
        CgroupLayout layout = CgroupLayout.detect(List.of(
                "25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct",
                "26 24 0:23 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory",
                "27 24 0:24 / /sys/fs/cgroup/pids rw,nosuid shared:10 - cgroup cgroup rw,pids"), mount -> "");
        CgroupLayout.V1 v1 = assertInstanceOf(CgroupLayout.V1.class, layout);
        assertEquals(v1.controllers().get("cpu"), v1.controllers().get("cpuacct"));
        assertFalse(v1.controllers().containsKey("freezer"));
    }

    @Test
    void aCgroup2MountOfferingCpuMemoryAndPidsIsV2() {
        CgroupLayout layout = CgroupLayout.detect(List.of(
                "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot"),
                mount -> "cpuset cpu io memory hugetlb pids rdma misc\n");
        assertEquals(new CgroupLayout.V2(Path.of("/sys/fs/cgroup")), layout);
    }

    @Test
    void neitherLayoutSaysWhatIsMissing() {
        CgroupLayout layout = CgroupLayout.detect(List.of(
                "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"), mount -> "hugetlb");
        String reason = assertInstanceOf(CgroupLayout.Unsupported.class, layout).reason();
        assertTrue(reason.contains("/sys/fs/cgroup/unified (controllers: hugetlb)"), reason);
        assertTrue(reason.contains("cpuacct, memory, pids"), reason);
    }

    @Test
    void escapedMountPointsAreDecoded() {
        List<MountTable.Mount> mounts = MountTable.cgroupMounts(List.of(
                "50 31 0:40 / /mnt/my\\040cgroups rw - cgroup2 none rw",
                "51 31 0:41 / /proc rw - proc proc rw",
                "garbage"));
        assertEquals(1, mounts.size());
        assertEquals(Path.of("/mnt/my cgroups"), mounts.get(0).mountPoint());
    }
}
