package dev.sliceplane.agent.internal.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.jose.JwsException;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * The agent's ticket state on disk, so a restart forgets no outstanding ticket and no revocation:
 * JSON lines {@code {"op":"issue",...}}, {@code {"op":"revoke","id"}}, {@code {"op":"redeem","id"}},
 * {@code {"op":"release","id"}} appended and fsynced before the change is acknowledged. At start
 * the journal is replayed and rewritten with only what is still worth remembering (written beside
 * it, fsynced, moved over it). A torn last line (a crash mid-write) is skipped. Not thread-safe:
 * the agent calls it under its lock.
 */
final class TicketJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TicketJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private FileChannel channel;

    private TicketJournal(Path file) {
        this.file = file;
    }

    /**
     * Opens {@code file}, replays it into the tickets still worth remembering at {@code now},
     * compacts it and returns both.
     */
    static Opened open(Path file, Instant now) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, TicketRecord> tickets = new LinkedHashMap<>();
        if (Files.exists(file)) {
            int lineNumber = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNumber++;
                if (!line.isBlank()) {
                    replay(line, tickets, file, lineNumber);
                }
            }
        }
        tickets.values().removeIf(t -> t.forgettable(now));
        TicketJournal journal = new TicketJournal(file);
        journal.compact(tickets.values());
        return new Opened(journal, tickets);
    }

    record Opened(TicketJournal journal, Map<String, TicketRecord> tickets) {
    }

    void issued(List<TicketRecord> tickets) {
        StringBuilder lines = new StringBuilder();
        for (TicketRecord ticket : tickets) {
            lines.append(issueLine(ticket)).append('\n');
        }
        append(lines.toString());
    }

    void revoked(String id) {
        append(opLine("revoke", id) + "\n");
    }

    void redeemed(Collection<String> ids) {
        appendOps("redeem", ids);
    }

    void released(Collection<String> ids) {
        appendOps("release", ids);
    }

    private void appendOps(String op, Collection<String> ids) {
        StringBuilder lines = new StringBuilder();
        ids.forEach(id -> lines.append(opLine(op, id)).append('\n'));
        append(lines.toString());
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the ticket journal {} failed", file, e);
        }
    }

    private void append(String lines) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ticket journal " + file, e);
        }
    }

    private void compact(Collection<TicketRecord> tickets) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder content = new StringBuilder();
        for (TicketRecord ticket : tickets) {
            content.append(issueLine(ticket)).append('\n');
            if (ticket.revoked()) {
                content.append(opLine("revoke", ticket.id())).append('\n');
            }
            if (ticket.redeemed()) {
                content.append(opLine("redeem", ticket.id())).append('\n');
            }
            if (ticket.released()) {
                content.append(opLine("release", ticket.id())).append('\n');
            }
        }
        Files.write(temporary, content.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void replay(String line, Map<String, TicketRecord> tickets, Path file, int lineNumber) {
        try {
            JsonNode entry = JSON.readTree(line);
            String id = entry.path("id").asText("");
            switch (entry.path("op").asText("")) {
                case "issue" -> tickets.put(id, TicketRecord.issued(id, entry.path("slice").asText(),
                        entry.path("node").asText(), ReportVerifier.resources(entry.path("res"), "res"),
                        Instant.ofEpochSecond(entry.path("nbf").asLong()), Instant.ofEpochSecond(entry.path("exp").asLong()),
                        Instant.ofEpochSecond(entry.path("iat").asLong()),
                        Instant.ofEpochSecond(entry.path("sliceExpires").asLong())));
                case "revoke" -> tickets.computeIfPresent(id, (k, t) -> t.asRevoked());
                case "redeem" -> tickets.computeIfPresent(id, (k, t) -> t.asRedeemed());
                case "release" -> tickets.computeIfPresent(id, (k, t) -> t.asReleased());
                default -> LOG.warn("{}:{}: unknown journal entry skipped", file, lineNumber);
            }
        } catch (IOException | JwsException | IllegalArgumentException e) {
            // A crash while appending leaves at most a torn last line.
            LOG.warn("{}:{}: unreadable journal line skipped ({})", file, lineNumber, e.getMessage());
        }
    }

    private static String issueLine(TicketRecord ticket) {
        ObjectNode line = JSON.createObjectNode();
        line.put("op", "issue");
        line.put("id", ticket.id());
        line.put("slice", ticket.slice());
        line.put("node", ticket.node());
        line.set("res", JSON.valueToTree(ticket.resources()));
        line.put("nbf", ticket.notBefore().getEpochSecond());
        line.put("exp", ticket.expires().getEpochSecond());
        line.put("iat", ticket.issuedAt().getEpochSecond());
        line.put("sliceExpires", ticket.sliceExpires().getEpochSecond());
        return line.toString();
    }

    private static String opLine(String op, String id) {
        ObjectNode line = JSON.createObjectNode();
        line.put("op", op);
        line.put("id", id);
        return line.toString();
    }
}
