package dev.sliceplane.platform.internal.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.sliceplane.platform.internal.NodePaths;

/**
 * The audit log of mutating calls: one JSON object per line in {@code <data>/audit/audit.jsonl},
 * forced to disk before the call's entry counts as written, so a crash loses no entry of a call
 * that was answered. The file is rolled to {@code audit.jsonl.1} when it grows past its cap. The
 * latest entries are also kept in memory for {@code GET /api/v1/audit}.
 */
@Component(service = AuditLog.class, configurationPid = "dev.sliceplane.audit")
@Designate(ocd = AuditLog.Config.class)
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    @ObjectClassDefinition(name = "Sliceplane audit log", description = "Where mutating HTTP calls are recorded.")
    public @interface Config {
        @AttributeDefinition(min = "1", description = "Size, in MiB, past which audit.jsonl is rolled to audit.jsonl.1.")
        int maxFileMiB() default 64;

        @AttributeDefinition(min = "1", max = "100000", description = "How many recent entries GET /api/v1/audit can return.")
        int keptInMemory() default 1000;
    }

    /** Generous size of one entry, to find how much of the file's tail holds the kept entries. */
    private static final int TYPICAL_LINE_BYTES = 400;

    private final Path file;
    private final long maxBytes;
    private final int kept;
    private final Deque<AuditEntry> recent = new ArrayDeque<>();
    private FileChannel channel;

    @Activate
    public AuditLog(BundleContext context, Config config) throws IOException {
        this(NodePaths.dataDir(context).resolve("audit").resolve("audit.jsonl"), config.maxFileMiB() * (1L << 20),
                config.keptInMemory());
    }

    AuditLog(Path file, long maxBytes, int kept) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.kept = kept;
        Files.createDirectories(file.getParent());
        loadRecent();
        channel = open();
    }

    /** Appends the entry and forces it to disk; a failure is logged, never thrown at the caller. */
    public synchronized void record(AuditEntry entry) {
        remember(entry);
        try {
            byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            if (channel.size() + line.length > maxBytes) {
                roll();
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            LOG.error("could not write the audit entry {} {} by {}", entry.method(), entry.path(), entry.caller(), e);
        }
    }

    /** The latest entries, newest first, at most {@code limit}. */
    public synchronized List<AuditEntry> recent(int limit) {
        List<AuditEntry> result = new ArrayList<>(Math.min(limit, recent.size()));
        var it = recent.descendingIterator();
        while (it.hasNext() && result.size() < limit) {
            result.add(it.next());
        }
        return result;
    }

    @Deactivate
    synchronized void close() throws IOException {
        channel.close();
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void roll() throws IOException {
        channel.close();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        channel = open();
    }

    private void remember(AuditEntry entry) {
        recent.addLast(entry);
        while (recent.size() > kept) {
            recent.removeFirst();
        }
    }

    /**
     * Reads the tail of the current file back (about as many bytes as the kept entries take),
     * and ends a line torn by a crash so the next entry starts on a line of its own.
     */
    private void loadRecent() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = in.size();
            long from = Math.max(0, size - (long) kept * TYPICAL_LINE_BYTES);
            ByteBuffer tail = ByteBuffer.allocate((int) (size - from));
            while (tail.hasRemaining() && in.read(tail, from + tail.position()) >= 0) {
                // read until the buffer is full
            }
            String text = new String(tail.array(), StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = from == 0 ? 0 : 1; i < lines.length - 1; i++) {
                readLine(lines[i]);
            }
            if (size > 0 && !text.endsWith("\n")) {
                LOG.warn("the last line of {} was cut off by a crash; it is kept as it is", file);
                in.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
                in.force(false);
            }
        }
    }

    private void readLine(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            remember(JSON.readValue(line, AuditEntry.class));
        } catch (IOException e) {
            LOG.warn("skipping an unreadable audit line in {}", file);
        }
    }
}
