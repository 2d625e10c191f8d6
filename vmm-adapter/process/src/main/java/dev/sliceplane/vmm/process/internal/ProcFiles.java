package dev.sliceplane.vmm.process.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads files of /proc and /sys. They report a size of 0, and {@code Files.readString} then
 * reads a single byte first; a sysctl file such as {@code /proc/sys/kernel/pid_max} answers a
 * read at a non-zero offset with end-of-file, so that yields "3" for 32768. Here the first
 * read asks for a whole buffer, which such files fill at once.
 */
final class ProcFiles {

    private ProcFiles() {
    }

    static String read(Path file) throws IOException {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    static byte[] readBytes(Path file) throws IOException {
        byte[] buffer = new byte[8192];
        int length = 0;
        try (InputStream in = new FileInputStream(file.toFile())) {
            int n;
            while ((n = in.read(buffer, length, buffer.length - length)) > 0) {
                length += n;
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
        }
        return Arrays.copyOf(buffer, length);
    }
}
