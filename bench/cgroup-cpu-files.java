// CPU per pread of each cgroup v1 file that gives a cgroup's CPU time, over N empty cgroups (made and removed here),
// each kept open, six rounds in rotated order. Needs root. Run: java bench/cgroup-cpu-files.java 1000
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** CPU per pread of each way to a cgroup's CPU time, over N empty cgroups, files kept open, rounds rotated. */
public class CpuFiles {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = 6;
        Path root = Path.of("/sys/fs/cgroup/cpuacct/sliceplane-cpu-files-" + ProcessHandle.current().pid());
        String[] names = {"cpuacct.usage", "cpuacct.usage_percpu", "cpuacct.usage_user", "cpuacct.stat"};
        List<List<FileChannel>> channels = new ArrayList<>();
        Files.createDirectory(root);
        try {
            for (int i = 0; i < n; i++) {
                Files.createDirectory(root.resolve("s" + i));
            }
            for (String name : names) {
                List<FileChannel> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(FileChannel.open(root.resolve("s" + i).resolve(name)));
                }
                channels.add(list);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            ByteBuffer buffer = ByteBuffer.allocateDirect(256);
            double[][] us = new double[names.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < names.length; j++) {
                    int k = (j + r) % names.length;
                    List<FileChannel> list = channels.get(k);
                    for (int pass = 0; pass < 220; pass++) {
                        if (pass == 20) {
                            us[k][r] = -threads.getCurrentThreadCpuTime();
                        }
                        for (FileChannel c : list) {
                            buffer.clear();
                            c.read(buffer, 0);
                        }
                    }
                    us[k][r] = (us[k][r] + threads.getCurrentThreadCpuTime()) / 1e3 / 200 / n;
                }
            }
            System.out.printf("load %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
            for (int k = 0; k < names.length; k++) {
                double[] sorted = us[k].clone();
                Arrays.sort(sorted);
                System.out.printf("%-22s median %.2f us (min %.2f, max %.2f) per pread over %d cgroups%n", names[k],
                        (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2, sorted[0], sorted[rounds - 1], n);
            }
        } finally {
            for (List<FileChannel> list : channels) {
                for (FileChannel c : list) {
                    c.close();
                }
            }
            for (int i = 0; i < n; i++) {
                Files.deleteIfExists(root.resolve("s" + i));
            }
            Files.delete(root);
        }
    }
}
