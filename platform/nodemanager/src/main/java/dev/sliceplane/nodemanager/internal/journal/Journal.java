package dev.sliceplane.nodemanager.internal.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The node manager's write-ahead journal: one JSON {@link Entry} per line in
 * {@code <data>/nodemanager/journal.jsonl}, each forced to disk before {@link #append} returns, so
 * whatever a caller acknowledges after it survives a kill -9 or a power cut. At start the journal
 * is read, reconciled and rewritten in its shortest form ({@link #rewrite}: a synced temporary
 * file renamed over the journal, then the directory synced).
 *
 * <p>Plain JSON lines rather than an embedded store: the state is a few records per slice, a
 * person can read and repair it, and the one guarantee needed (durable append, atomic rewrite)
 * takes a FileChannel and a rename. A line cut short by a crash is the last one and was never
 * acknowledged; reading skips it. After a failed write the journal refuses further appends (the
 * half line would swallow the next entry) until the node manager restarts and rewrites it.
 *
 * <p>Thread-safe: appends and rewrites are serialised on this object.
 */
public final class Journal implements AutoCloseable {

    /** The journal's file name within its directory. */
    public static final String FILE = "journal.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path directory;
    private final Path file;
    private FileChannel channel;
    private volatile String failure;

    private Journal(Path directory) throws IOException {
        this.directory = directory;
        this.file = directory.resolve(FILE);
        this.channel = openForAppend(file);
    }

    /** Opens (creating the directory and file if needed) for appending. */
    public static Journal open(Path directory) throws IOException {
        Files.createDirectories(directory);
        return new Journal(directory);
    }

    /** Reads every entry of the journal in {@code directory} into a state; an absent journal is empty. */
    public static JournalState read(Path directory) throws IOException {
        JournalState state = new JournalState();
        Path file = directory.resolve(FILE);
        int number = 0;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                if (line.isBlank()) {
                    state.skipped();
                    continue;
                }
                Entry entry;
                try {
                    entry = JSON.readValue(line, Entry.class);
                } catch (JsonProcessingException e) {
                    // Only the last line can be torn (each append is forced before the next); anything
                    // else unreadable was edited by hand, and is better skipped than fatal.
                    LOG.warn("journal {} line {} is not an entry (cut short by a crash?); skipped: {}", file, number,
                            e.getOriginalMessage());
                    state.skipped();
                    continue;
                }
                if (entry.op() == null || (entry.lease() == null && entry.ticket() == null && entry.backend() == null)) {
                    LOG.warn("journal {} line {} is incomplete; skipped", file, number);
                    state.skipped();
                    continue;
                }
                state.apply(entry);
            }
        } catch (NoSuchFileException e) {
            return state;
        }
        if (!endsWithNewline(file)) {
            // A last entry without its newline would run into the next append: only a rewrite fixes it.
            state.skipped();
        }
        return state;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    /**
     * Writes {@code entry} and forces it to disk.
     *
     * @throws IOException when it cannot; the journal then refuses every further append
     */
    public synchronized void append(Entry entry) throws IOException {
        if (failure != null) {
            throw new IOException("the journal failed earlier and takes no more entries until a restart: " + failure);
        }
        byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            failure = e.toString();
            throw e;
        }
    }

    /** Replaces the journal by {@code entries} atomically: a crash leaves either the old or the new one. */
    public synchronized void rewrite(List<Entry> entries) throws IOException {
        Path temporary = directory.resolve(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Entry entry : entries) {
                ByteBuffer buffer = ByteBuffer.wrap((JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        }
        channel.close();
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {} (not supported here): {}", directory, e.toString());
        }
        channel = openForAppend(file);
        failure = null;
    }

    /** Why the journal refuses appends, or null while it is healthy. */
    public String failure() {
        return failure;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private static FileChannel openForAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
}
