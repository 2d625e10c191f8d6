package dev.sliceplane.agent.internal.broker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.sliceplane.agent.internal.agent.Issuance;
import dev.sliceplane.agent.internal.agent.NodeAttributes;
import dev.sliceplane.agent.internal.agent.NodeView;
import dev.sliceplane.agent.internal.agent.SliceAccess;
import dev.sliceplane.agent.internal.agent.TicketAgent;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.NodeDirectory;
import dev.sliceplane.platform.api.acquisition.NodeRecord;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;
import dev.sliceplane.platform.api.query.Term;
import dev.sliceplane.platform.api.query.Where;
import dev.sliceplane.platform.api.security.Caller;

/**
 * The default broker, in-process on the agent: picks {@code count} nodes that match a request's
 * {@code where}, have the resources available and do not already hold a sliver or ticket of the
 * slice, most available CPU first, and asks the agent for one ticket on each, all or nothing
 * unless the request is partial. A refusal explains itself: how many nodes matched and why each
 * other node was left out. Thread-safe (the agent serializes issuance).
 */
public final class Broker {

    private static final String BROKER = "broker";
    /** Reasons beyond this many are summarized, so a large testbed's refusal stays readable. */
    static final int MAX_REASONS = 100;

    private final TicketAgent agent;
    private final SliceDirectory slices;
    private final NodeDirectory directory;

    public Broker(TicketAgent agent, SliceDirectory slices, NodeDirectory directory) {
        this.agent = agent;
        this.slices = slices;
        this.directory = directory;
    }

    /**
     * Tickets for {@code request} on behalf of {@code caller}.
     *
     * @throws DeniedException 404 unknown slice, 403 not a member, 422 too few nodes or over the
     *                         slice's sliver limit
     * @throws dev.sliceplane.platform.api.query.InvalidQueryException when {@code where} is malformed
     */
    public Issuance request(Caller caller, TicketRequest request) {
        Where where = Where.parse(request.where(), NodeAttributes.SCHEMA);
        SliceRecord slice = SliceAccess.usable(caller, request.slice(), slices, BROKER);
        int room = slice.maxSlivers() - agent.sliversHeld(slice.name());
        if (room < request.count() && (!request.partial() || room <= 0)) {
            throw new DeniedException(422, "over-capacity", new Reason("slice", BROKER, "slice.maxSlivers",
                    "slice " + slice.name() + " may hold " + slice.maxSlivers() + " slivers and holds or was promised "
                            + (slice.maxSlivers() - room) + "; " + request.count() + " more were asked for"));
        }
        Map<String, String> bootStates = directory.nodes().stream()
                .collect(Collectors.toMap(NodeRecord::hostname, NodeRecord::bootState, (a, b) -> a));
        Set<String> holding = agent.nodesHolding(slice.name());
        List<NodeView> nodes = agent.nodes();
        List<NodeView> eligible = new ArrayList<>();
        List<Reason> excluded = new ArrayList<>();
        for (NodeView node : nodes) {
            Reason reason = exclusion(node, request, where, bootStates.get(node.hostname()), holding);
            if (reason == null) {
                eligible.add(node);
            } else {
                excluded.add(reason);
            }
        }
        eligible.sort(Comparator.comparingDouble((NodeView n) -> n.available().cpu()).reversed()
                .thenComparing(NodeView::hostname));
        int wanted = Math.min(request.count(), room);
        if (eligible.isEmpty() || (eligible.size() < wanted && !request.partial())) {
            List<Reason> reasons = new ArrayList<>();
            reasons.add(new Reason("capacity", BROKER, "broker.count", eligible.size() + " of " + nodes.size()
                    + " reporting nodes match" + (request.where().isBlank() ? "" : " '" + where + "'")
                    + " and have the resources available; " + request.count() + " were asked for"));
            reasons.addAll(capped(excluded));
            throw new DeniedException(422, "no-matching-nodes", reasons);
        }
        List<String> chosen = eligible.subList(0, Math.min(wanted, eligible.size())).stream()
                .map(NodeView::hostname).toList();
        Issuance issuance = agent.issue(slice, chosen, request.resources(), request.duration(), request.partial());
        if (issuance.tickets().size() < request.count()) {
            List<Reason> shortfall = new ArrayList<>(issuance.refused());
            shortfall.addAll(capped(excluded));
            return new Issuance(issuance.tickets(), shortfall);
        }
        return issuance;
    }

    /** Why {@code node} cannot serve {@code request}, or null when it can. */
    private static Reason exclusion(NodeView node, TicketRequest request, Where where, String bootState,
            Set<String> holding) {
        String host = node.hostname();
        if (node.stale()) {
            return new Reason("capacity", host, "node.stale", host + " has not reported since " + node.reportedAt());
        }
        if (node.health().equals("DOWN")) {
            return new Reason("capacity", host, "node.health", host + " reports itself DOWN");
        }
        if (bootState == null || !bootState.equalsIgnoreCase("boot")) {
            return new Reason("policy", host, "node.bootState", host + " is not in boot state boot");
        }
        List<Term> failed = where.failedTerms(NodeAttributes.of(node));
        if (!failed.isEmpty()) {
            return new Reason("request", host, "broker.where", host + " does not match '" + failed.get(0).text() + "'");
        }
        if (holding.contains(host)) {
            return new Reason("slice", host, "slice.sliverPerNode", "slice " + request.slice()
                    + " already holds a sliver or an outstanding ticket on " + host);
        }
        if (!request.resources().fitsIn(node.available())) {
            return new Reason("capacity", host, "capacity.available", host + " has " + node.available()
                    + " available, less than the " + request.resources() + " asked for");
        }
        return null;
    }

    private static List<Reason> capped(List<Reason> reasons) {
        if (reasons.size() <= MAX_REASONS) {
            return reasons;
        }
        List<Reason> capped = new ArrayList<>(reasons.subList(0, MAX_REASONS));
        capped.add(new Reason("request", BROKER, "broker.reasons", (reasons.size() - MAX_REASONS)
                + " more nodes were left out"));
        return capped;
    }
}
