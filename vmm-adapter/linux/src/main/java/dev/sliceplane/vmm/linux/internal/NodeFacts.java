package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sliceplane.vmm.api.NodeCapacity;

/** What this machine has to share, read from /sys and /proc once when the backend opens. */
final class NodeFacts {

    private NodeFacts() {
    }

    static NodeCapacity capacity(Path stateDirectory) {
        return new NodeCapacity(onlineCores(), memTotalBytes(), diskBytes(stateDirectory), interfaces());
    }

    /** Online CPUs ({@code 0-3,6} is five); the JVM's count when the file is unreadable. */
    static int onlineCores() {
        try {
            return countCpuList(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static int countCpuList(String list) {
        int count = 0;
        for (String range : list.trim().split(",")) {
            int dash = range.indexOf('-');
            count += dash < 0 ? 1 : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
        }
        return count;
    }

    static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: an unknown size is reported as 0, and memory limits are then not checked against it
        }
        return 0;
    }

    /** The size of the file system that holds (or will hold) the state directory, which may not exist yet. */
    private static long diskBytes(Path stateDirectory) {
        Path existing = stateDirectory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? 0 : Files.getFileStore(existing).getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> interfaces() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/sys/class/net"))) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }
}
