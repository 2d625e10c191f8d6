package dev.sliceplane.agent.internal.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.ReportAnswer;
import dev.sliceplane.platform.api.acquisition.ReportSink;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.acquisition.SliceRecord;

/**
 * The agent: takes the nodes' capacity reports, advertises what each node has left after the
 * tickets it promised, issues tickets within that and revokes them.
 *
 * <p>Accounting: a ticket counts against its node while it is <em>outstanding</em> (issued,
 * unexpired, unrevoked, and never reported by its node as redeemed or released); once redeemed, the
 * node's own {@code free} accounts for the lease. A node reports the tickets of leases that have
 * ended as released, so a lease redeemed and ended between two reports frees its ticket too. A
 * node's {@code free} already includes the oversubscription its owner allows ({@code NodeOffer}),
 * so the agent promises at most {@code free} less the outstanding tickets. A slice's slivers are its
 * outstanding tickets plus the tickets behind leases its nodes currently report as redeemed
 * (released ones count for nothing).
 *
 * <p>Thread-safe: all state is guarded by this object's lock; ticket changes are journaled (fsync)
 * before they are answered.
 */
public final class TicketAgent implements ReportSink, AutoCloseable {

    private static final String AGENT = "agent";

    /**
     * @param reportInterval    how often nodes report; a report older than three intervals is stale
     * @param maxTicketDuration the longest ticket window
     */
    public record Settings(Duration reportInterval, Duration maxTicketDuration) {
    }

    private record NodeState(CapacityReport report, Instant receivedAt) {
    }

    private final AgentIdentity identity;
    private final NodeDirectory directory;
    private final ReportVerifier verifier;
    private final TicketSigner signer;
    private final Settings settings;
    private final Clock clock;
    private final TicketJournal journal;
    /** Guarded by this. */
    private final Map<String, NodeState> nodes = new HashMap<>();
    /** Guarded by this; by id, in issue order. */
    private final Map<String, TicketRecord> tickets;

    private TicketAgent(AgentIdentity identity, NodeDirectory directory, Settings settings, Clock clock,
            SecureRandom random, TicketJournal.Opened state) {
        this.identity = identity;
        this.directory = directory;
        this.verifier = new ReportVerifier(directory);
        this.signer = new TicketSigner(identity, random);
        this.settings = settings;
        this.clock = clock;
        this.journal = state.journal();
        this.tickets = new LinkedHashMap<>(state.tickets());
    }

    /** An agent whose ticket state lives in {@code journalFile} (replayed and compacted now). */
    public static TicketAgent open(AgentIdentity identity, NodeDirectory directory, Settings settings, Clock clock,
            SecureRandom random, Path journalFile) throws IOException {
        return new TicketAgent(identity, directory, settings, clock, random,
                TicketJournal.open(journalFile, clock.instant()));
    }

    public String name() {
        return identity.name();
    }

    public Settings settings() {
        return settings;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The agent's certificate (renewed when due). */
    public String certificate() {
        return identity.certificate();
    }

    @Override
    public ReportAnswer accept(String callerHostname, String reportJws) {
        Instant now = clock.instant();
        CapacityReport report = verifier.verify(reportJws, callerHostname, now);
        synchronized (this) {
            NodeState previous = nodes.get(report.hostname());
            if (previous != null && report.issuedAt().isBefore(previous.report().issuedAt())) {
                throw Denials.denied(409, "report-outdated", "replay", AGENT, "report.iat",
                        "the agent holds a newer report of " + report.hostname() + " (issued "
                                + previous.report().issuedAt() + ")");
            }
            nodes.put(report.hostname(), new NodeState(report, now));
            List<String> newlyRedeemed = new ArrayList<>();
            for (String id : report.redeemed()) {
                TicketRecord ticket = tickets.get(id);
                if (ticket != null && !ticket.redeemed() && ticket.node().equals(report.hostname())) {
                    tickets.put(id, ticket.asRedeemed());
                    newlyRedeemed.add(id);
                }
            }
            if (!newlyRedeemed.isEmpty()) {
                journal.redeemed(newlyRedeemed);
            }
            List<String> newlyReleased = new ArrayList<>();
            for (String id : report.released()) {
                TicketRecord ticket = tickets.get(id);
                if (ticket != null && !ticket.released() && ticket.node().equals(report.hostname())) {
                    tickets.put(id, ticket.asReleased());
                    newlyReleased.add(id);
                }
            }
            if (!newlyReleased.isEmpty()) {
                journal.released(newlyReleased);
            }
            List<ReportAnswer.Revocation> revoked = tickets.values().stream()
                    .filter(t -> t.revoked() && t.node().equals(report.hostname()) && t.expires().isAfter(now))
                    .map(t -> new ReportAnswer.Revocation(t.id(), t.expires()))
                    .toList();
            return new ReportAnswer(settings.reportInterval(), revoked, clock.instant());
        }
    }

    /** Every node that has reported, by host name. */
    public synchronized List<NodeView> nodes() {
        Instant now = clock.instant();
        Map<String, Resources> outstanding = outstandingByNode(now);
        return nodes.values().stream()
                .map(state -> view(state, now, outstanding))
                .sorted(Comparator.comparing(NodeView::hostname))
                .toList();
    }

    /**
     * Issues one ticket for {@code slice} on each of {@code hostnames}, each promising
     * {@code resources} from now for {@code duration} (cut at the slice's expiry). With
     * {@code partial} false it issues all or none.
     *
     * @throws DeniedException 422 when {@code partial} is false and any node is refused, with a
     *                         reason for each refused node
     */
    public Issuance issue(SliceRecord slice, List<String> hostnames, Resources resources, Duration duration,
            boolean partial) {
        identity.certificate(); // renewed outside the lock when due: that may ask the authority
        Map<String, String> bootStates = directory.nodes().stream()
                .collect(Collectors.toMap(NodeRecord::hostname, NodeRecord::bootState, (a, b) -> a));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant end = now.plus(duration.compareTo(settings.maxTicketDuration()) > 0
                ? settings.maxTicketDuration() : duration);
        if (slice.expires().isBefore(end)) {
            end = slice.expires().truncatedTo(ChronoUnit.SECONDS);
        }
        if (!end.isAfter(now)) {
            throw Denials.denied(410, "slice-unknown", "slice", AGENT, "slice.expires",
                    "slice " + slice.name() + " has expired");
        }
        synchronized (this) {
            forgetOld(now);
            int held = sliversHeld(slice.name(), now);
            Map<String, Resources> outstanding = outstandingByNode(now);
            List<TicketRecord> issued = new ArrayList<>();
            List<Reason> refused = new ArrayList<>();
            Map<String, Resources> promised = new HashMap<>();
            for (String hostname : hostnames) {
                Reason refusal = refusal(slice, hostname, resources, bootStates.get(hostname), held + issued.size(),
                        promised.getOrDefault(hostname, Resources.NONE), outstanding, now);
                if (refusal != null) {
                    refused.add(refusal);
                    continue;
                }
                issued.add(TicketRecord.issued(signer.newId(), slice.name(), hostname, resources, now, end, now,
                        slice.expires()));
                promised.merge(hostname, resources, Resources::plus);
            }
            if (!partial && !refused.isEmpty()) {
                boolean capacityOnly = refused.stream().allMatch(r -> r.check().equals("capacity")
                        || r.check().equals("slice"));
                throw new DeniedException(422, capacityOnly ? "over-capacity" : "no-matching-nodes", refused);
            }
            List<Issuance.Ticket> answer = new ArrayList<>();
            for (TicketRecord ticket : issued) {
                String jws = signer.sign(ticket);
                answer.add(new Issuance.Ticket(ticket.node(), nodes.get(ticket.node()).report().url().toString(), jws,
                        ticket.id(), ticket.expires()));
            }
            if (!issued.isEmpty()) {
                journal.issued(issued);
                issued.forEach(t -> tickets.put(t.id(), t));
            }
            return new Issuance(answer, refused);
        }
    }

    /** The tickets of {@code slice} (all when null) the agent still remembers, in issue order. */
    public synchronized List<TicketRecord> tickets(String slice) {
        forgetOld(clock.instant());
        return tickets.values().stream().filter(t -> slice == null || t.slice().equals(slice)).toList();
    }

    public synchronized Optional<TicketRecord> ticket(String id) {
        return Optional.ofNullable(tickets.get(id));
    }

    /**
     * Revokes ticket {@code id}: it stops counting against its node and the node is told at its
     * next report to refuse it. Revoking a revoked ticket changes nothing.
     *
     * @return false when the agent knows no such ticket
     */
    public synchronized boolean revoke(String id) {
        TicketRecord ticket = tickets.get(id);
        if (ticket == null) {
            return false;
        }
        if (!ticket.revoked()) {
            journal.revoked(id);
            tickets.put(id, ticket.asRevoked());
        }
        return true;
    }

    /** How many slivers {@code slice} holds or was promised: outstanding tickets and reported leases. */
    public synchronized int sliversHeld(String slice) {
        return sliversHeld(slice, clock.instant());
    }

    /** The nodes where {@code slice} holds an outstanding ticket or a reported lease. */
    public synchronized Set<String> nodesHolding(String slice) {
        Instant now = clock.instant();
        return tickets.values().stream().filter(t -> t.slice().equals(slice) && holds(t, now))
                .map(TicketRecord::node).collect(Collectors.toSet());
    }

    @Override
    public synchronized void close() {
        journal.close();
    }

    /** Outstanding, or behind a lease its node currently reports; a released ticket's lease is over. */
    private boolean holds(TicketRecord ticket, Instant now) {
        if (ticket.outstanding(now)) {
            return true;
        }
        if (ticket.released()) {
            return false;
        }
        NodeState node = nodes.get(ticket.node());
        return node != null && node.report().redeemed().contains(ticket.id());
    }

    private int sliversHeld(String slice, Instant now) {
        return (int) tickets.values().stream().filter(t -> t.slice().equals(slice) && holds(t, now)).count();
    }

    /** Why {@code hostname} gets no ticket now, or null when it may get one. */
    private Reason refusal(SliceRecord slice, String hostname, Resources resources, String bootState, int held,
            Resources alreadyPromised, Map<String, Resources> outstanding, Instant now) {
        NodeState state = nodes.get(hostname);
        if (state == null) {
            return new Reason("capacity", hostname, "node.report", "the agent has no capacity report from " + hostname);
        }
        NodeView view = view(state, now, outstanding);
        if (view.stale()) {
            return new Reason("capacity", hostname, "node.stale", "the last report of " + hostname + " came at "
                    + view.reportedAt() + ", more than three report intervals ago");
        }
        if (view.health().equals("DOWN")) {
            return new Reason("capacity", hostname, "node.health", hostname + " reports itself DOWN");
        }
        if (bootState == null || !bootState.equalsIgnoreCase("boot")) {
            return new Reason("policy", hostname, "node.bootState", hostname + " is not in boot state boot (it is "
                    + (bootState == null ? "not registered" : bootState) + ")");
        }
        if (held >= slice.maxSlivers()) {
            return new Reason("slice", hostname, "slice.maxSlivers", "slice " + slice.name() + " may hold "
                    + slice.maxSlivers() + " slivers and holds or was promised " + held);
        }
        Resources available = view.available().minus(alreadyPromised);
        String dimension = missing(resources, available);
        if (dimension != null) {
            return new Reason("capacity", hostname, "capacity." + dimension, hostname + " has "
                    + describe(dimension, available) + " available for slices, less than the "
                    + describe(dimension, resources) + " asked for");
        }
        return null;
    }

    /** What the outstanding tickets promise on each node, in one pass over the tickets. */
    private Map<String, Resources> outstandingByNode(Instant now) {
        Map<String, Resources> outstanding = new HashMap<>();
        for (TicketRecord ticket : tickets.values()) {
            NodeState node = nodes.get(ticket.node());
            if (ticket.outstanding(now) && (node == null || !node.report().redeemed().contains(ticket.id()))) {
                outstanding.merge(ticket.node(), ticket.resources(), Resources::plus);
            }
        }
        return outstanding;
    }

    private NodeView view(NodeState state, Instant now, Map<String, Resources> outstandingByNode) {
        CapacityReport report = state.report();
        Resources outstanding = outstandingByNode.getOrDefault(report.hostname(), Resources.NONE);
        boolean stale = now.isAfter(state.receivedAt().plus(settings.reportInterval().multipliedBy(3)))
                || !now.isBefore(report.expiresAt());
        return new NodeView(report.hostname(), report.site(), report.url(), report.health(), report.capacity(),
                report.free(), outstanding, report.free().minus(outstanding), state.receivedAt(), stale,
                report.measured().cpuBusy(), report.measured().load1(), report.measured().memAvailable());
    }

    private void forgetOld(Instant now) {
        tickets.values().removeIf(t -> t.forgettable(now));
    }

    /** The first dimension of {@code wanted} that does not fit in {@code available}, or null. */
    static String missing(Resources wanted, Resources available) {
        if (wanted.cpu() > available.cpu() + 1e-9) {
            return "cpu";
        }
        if (wanted.memory() > available.memory()) {
            return "memory";
        }
        if (wanted.processes() > available.processes()) {
            return "processes";
        }
        return wanted.disk() > available.disk() ? "disk" : null;
    }

    private static String describe(String dimension, Resources r) {
        return switch (dimension) {
            case "cpu" -> r.cpu() + " CPU";
            case "memory" -> r.memory() + " bytes of memory";
            case "processes" -> r.processes() + " processes";
            default -> r.disk() + " bytes of disk";
        };
    }
}
