package dev.sliceplane.vmm.linux.internal.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import dev.sliceplane.vmm.api.VmmException;

/**
 * Reads and writes cgroup control files. Every failure becomes a {@code BACKEND_FAILURE} naming
 * the file and the value, which is what an operator needs to see ("Invalid argument" alone is not).
 */
final class CgroupFiles {

    private CgroupFiles() {
    }

    static String read(Path file) {
        try {
            return readFully(file);
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    /** The file's content, or {@code null} when it does not exist (a controller file of an older kernel). */
    static String readIfExists(Path file) {
        try {
            return readFully(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    /**
     * Reads a control file in as few system calls as possible (open, read, close): killing and
     * stopping poll {@code cgroup.procs} this way. Files.readAllBytes allocates by the reported size
     * (4 KiB for every kernfs file) and reads once more to see the end. A kernfs read fills the
     * buffer unless the content ends first, so a short read is the end.
     */
    private static String readFully(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file)) {
            byte[] buffer = new byte[128];
            int length = 0;
            while (true) {
                int n = in.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
                if (n < 0) {
                    break;
                }
                length += n;
                if (length < buffer.length) {
                    break;
                }
                buffer = Arrays.copyOf(buffer, buffer.length * 4);
            }
            return new String(buffer, 0, length, StandardCharsets.US_ASCII);
        }
    }

    static long readLong(Path file) {
        return parseLong(read(file).trim(), file);
    }

    /**
     * The number after {@code key} in a file of "key value" lines ({@code memory.events},
     * {@code pids.events}, {@code cpu.stat}, {@code memory.oom_control}); 0 when the key is absent.
     */
    static long readKeyed(Path file, String key) {
        return keyed(read(file), key, file);
    }

    static long keyed(String content, String key, Path file) {
        int at = 0;
        while (at < content.length()) {
            int end = content.indexOf('\n', at);
            if (end < 0) {
                end = content.length();
            }
            if (content.startsWith(key, at) && at + key.length() < end && content.charAt(at + key.length()) == ' ') {
                return parseLong(content.substring(at + key.length() + 1, end).trim(), file);
            }
            at = end + 1;
        }
        return 0;
    }

    static void write(Path file, String value) {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw failure("cannot write '" + value + "' to " + file, e);
        }
    }

    /** Process ids listed in a {@code cgroup.procs} file, in file order; empty when the cgroup is gone. */
    static long[] pids(Path procsFile) {
        return parsePids(readIfExists(procsFile));
    }

    /** Process ids in {@code cgroup.procs} content, one a line. */
    static long[] parsePids(String content) {
        if (content == null || content.isEmpty()) {
            return new long[0];
        }
        long[] pids = new long[16];
        int count = 0;
        long value = -1;
        for (int i = 0; i <= content.length(); i++) {
            char c = i < content.length() ? content.charAt(i) : '\n';
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            } else if (value >= 0) {
                if (count == pids.length) {
                    pids = Arrays.copyOf(pids, count * 2);
                }
                pids[count++] = value;
                value = -1;
            }
        }
        return Arrays.copyOf(pids, count);
    }

    static long parseLong(String text, Path file) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw failure("unexpected content '" + text + "' in " + file, e);
        }
    }

    static VmmException failure(String message, Exception cause) {
        return new VmmException(VmmException.Reason.BACKEND_FAILURE, message + ": " + reasonOf(cause), cause);
    }

    /** The kernel's reason ("Invalid argument") without the path Java repeats in front of it. */
    static String reasonOf(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
