package dev.sliceplane.nodemanager.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.nodemanager.internal.journal.Entry;
import dev.sliceplane.nodemanager.internal.journal.Journal;
import dev.sliceplane.nodemanager.internal.journal.JournalState;
import dev.sliceplane.nodemanager.internal.journal.Reconciler;
import dev.sliceplane.nodemanager.internal.ticket.Ticket;
import dev.sliceplane.nodemanager.internal.ticket.TicketVerifier;
import dev.sliceplane.platform.api.acquisition.AuthorityKeys;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeOffer;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.acquisition.Reason;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.acquisition.SliceDirectory;
import dev.sliceplane.platform.api.acquisition.SliceRecord;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmException;

/**
 * The node manager: redeems tickets for slivers under the owner's local policy, and keeps the
 * leases it granted — renew, resize, release, programs, and reclaim once they end. It is the
 * {@link LeaseLedger} of the node's resource monitor.
 *
 * <p>Every change follows the write-ahead order of the contract, so a kill -9 between any two
 * steps leaves nothing a restart cannot put right ({@link Reconciler}): a redemption journals
 * its intent (forced to disk), makes the sliver, installs the members' keys, journals the lease
 * (forced) and only then answers; a release journals first and destroys after.
 *
 * <p>Immediate: it reconciles and starts reclaiming as soon as its services are there, not at
 * the first request. It needs the acquisition services of the accounts bundle ({@link
 * AuthorityKeys}, {@link SliceDirectory}, {@link NodeSigner}, the last registered once the node
 * holds a credential), the VMM and its management slice.
 *
 * <p>Thread-safety: {@link #lock} serialises every change (journal, VMM and the maps together),
 * so checks and grants cannot interleave; reads go to the concurrent maps without it.
 */
@Component(service = {NodeManager.class, LeaseLedger.class}, configurationPid = NodeManager.POLICY_PID, immediate = true)
@Designate(ocd = PolicyConfig.class)
public final class NodeManager implements LeaseLedger {

    /** Configuration PID of the local policy. */
    public static final String POLICY_PID = "dev.sliceplane.nodemanager.policy";
    /** Framework property set by the launcher: the node's data directory. */
    static final String DATA_PROPERTY = "sliceplane.data";
    private static final Logger LOG = LoggerFactory.getLogger(NodeManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vmm vmm;
    private final SliceDirectory slices;
    private final NodeSigner node;
    private final Clock clock;
    private final TicketVerifier verifier;
    private final LeaseSigner signer;
    private final Journal journal;
    private final Reconciler.Report reconciled;
    private final Instant reconciledAt;
    private final ManagementSlice slice;

    private final ReentrantLock lock = new ReentrantLock();
    /** Granted leases by id; changed under {@link #lock}. */
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** Intents being carried out (counted as granted); changed under {@link #lock}. */
    private final Map<String, Lease> pending = new ConcurrentHashMap<>();
    /** Redeemed ticket ids and the end of their window; kept until then. */
    private final Map<String, Instant> redeemed = new ConcurrentHashMap<>();
    /**
     * Redeemed ticket ids whose leases ended, and the end of their window; kept until then, so the
     * agent learns of a lease redeemed and ended between two reports. Durable: a RELEASE entry
     * implies it, compaction writes ENDED.
     */
    private final Map<String, Instant> ended = new ConcurrentHashMap<>();
    /** Revoked ticket ids and the end of their window; kept until then. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    /** Slivers of released leases whose destruction failed; retried by {@link #reclaim}. */
    private final Set<String> doomed = ConcurrentHashMap.newKeySet();
    /** Leases whose coming end was logged, so it is logged once. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private volatile Policy policy;
    /** The reclaim timer in OSGi; replaced when the interval changes. Guarded by {@link #lock}. */
    private ScheduledFuture<?> timer;

    /** In the framework: state under {@code <data>/nodemanager/}, reclaim on the slice's executor. */
    @Activate
    public NodeManager(@Reference Vmm vmm, @Reference AuthorityKeys authority, @Reference SliceDirectory slices,
            @Reference NodeSigner node, @Reference ManagementSlice slice, BundleContext context, PolicyConfig config)
            throws IOException {
        this(vmm, authority, slices, node, dataDirectory(context).resolve("nodemanager"), Clock.systemUTC(),
                Policy.of(config, complaint -> LOG.warn("policy {}: {}", POLICY_PID, complaint)), slice);
        schedule(policy.reclaimInterval());
    }

    /**
     * Reads the journal in {@code directory}, reconciles it with the VMM and rewrites it compacted.
     * Without a {@code slice} nothing is scheduled: the caller runs {@link #reclaim}.
     */
    NodeManager(Vmm vmm, AuthorityKeys authority, SliceDirectory slices, NodeSigner node, Path directory, Clock clock,
            Policy policy, ManagementSlice slice) throws IOException {
        this.vmm = vmm;
        this.slices = slices;
        this.node = node;
        this.clock = clock;
        this.policy = policy;
        this.slice = slice;
        this.verifier = new TicketVerifier(authority, clock);
        this.signer = new LeaseSigner(node, clock);
        JournalState state = Journal.read(directory);
        String backend = vmm.backend().name();
        if (state.backend() != null && !state.backend().equals(backend) && state.holdsSlivers()) {
            // Never reconcile against another backend's slivers: that would drop every lease. At
            // start-up the VMM may open one backend, then switch to the preferred one as its bundle
            // starts; the node manager then activates again, on the right one.
            throw new IllegalStateException("the node manager's slivers live in the " + state.backend()
                    + " VMM backend, but the VMM runs " + backend + "; it starts once the VMM runs " + state.backend()
                    + " again (or move " + directory.resolve(Journal.FILE) + " away to give up those leases)");
        }
        this.reconciled = Reconciler.reconcile(state, vmm, lease -> ResourcesJson.limits(lease.resources()));
        this.reconciledAt = clock.instant();
        this.journal = Journal.open(directory);
        List<Entry> compacted = state.snapshot(reconciledAt, backend);
        if (!state.holdsExactly(compacted)) {
            // Already compact (the usual restart) is left alone: no write and no sync at start-up.
            journal.rewrite(compacted);
        }
        leases.putAll(state.leases());
        redeemed.putAll(state.redeemed());
        ended.putAll(state.ended());
        revoked.putAll(state.revoked());
        state.released().keySet().forEach(doomed::add);
        state.intents().values().forEach(intent -> doomed.add(intent.sliver()));
        LOG.info("node manager started with {} leases; reconciled: destroyed {}, dropped {}, resized {}", leases.size(),
                reconciled.destroyed(), reconciled.dropped(), reconciled.resized());
    }

    @Modified
    void modified(PolicyConfig config) {
        Policy updated = Policy.of(config, complaint -> LOG.warn("policy {}: {}", POLICY_PID, complaint));
        Duration before = policy.reclaimInterval();
        policy = updated;
        if (!before.equals(updated.reclaimInterval())) {
            schedule(updated.reclaimInterval());
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        lock.lock();
        try {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            journal.close();
        } finally {
            lock.unlock();
        }
    }

    // ---- Redemption -------------------------------------------------------------------------

    /**
     * Redeems a ticket for {@code caller}: every check of the contract in its order, then the
     * sliver, the keys and the signed lease.
     *
     * @throws DeniedException  with the contract's status, type and reasons
     * @throws StorageException when the journal cannot record it (nothing was granted)
     * @throws VmmException     when the VMM fails for another reason than the request
     */
    public Lease redeem(String token, Caller caller) {
        String host = node.hostname();
        Ticket ticket = verifier.verify(token, host);
        if (revoked.containsKey(ticket.id())) {
            throw Denials.revoked(host, "the agent revoked ticket " + ticket.id(), ticket.context("replay", host));
        }
        lock.lock();
        try {
            // Whole seconds, as the signed lease carries its times: the view and the JWS agree.
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (redeemed.containsKey(ticket.id())) {
                throw Denials.replayed(host, "ticket " + ticket.id() + " was redeemed here already",
                        ticket.context("replay", host));
            }
            SliceRecord record = slices.slice(ticket.slice()).orElseThrow(() -> Denials.sliceUnknown(host, "slice.known",
                    "slice " + ticket.slice() + " is not registered, or has expired", ticket.context("slice", host)));
            if (!now.isBefore(record.expires())) {
                throw Denials.sliceUnknown(host, "slice.expires", "slice " + record.name() + " expired at "
                        + record.expires(), ticket.context("slice", host));
            }
            if (!Access.mayUse(caller, record)) {
                throw Denials.notAMember(host, caller.name() + " is neither a member of slice " + record.name()
                        + " nor a PI of its site " + record.site(), ticket.context("slice", host));
            }
            Policy rules = policy;
            Optional<Reason> refusal = rules.refusal(record.name(), record.site(), host);
            if (refusal.isPresent()) {
                throw Denials.policy(refusal.get(), ticket.context("policy", host));
            }
            requireCapacity(ticket.resources(), Resources.NONE, rules, host, ticket.context("capacity", host));
            requireNoSliver(record.name(), host, ticket);
            Instant end = earliest(ticket.expires(), record.expires(), now.plus(rules.maxLeaseTerm()))
                    .truncatedTo(ChronoUnit.SECONDS);
            Lease intent = new Lease(newLeaseId(), record.name(), record.name(), ticket.id(), ticket.expires(),
                    ticket.resources(), now, end, null);
            return grant(intent, record, host);
        } finally {
            lock.unlock();
        }
    }

    /** intent (forced) → sliver → keys → lease (forced); any failure undoes what was made. Under the lock. */
    private Lease grant(Lease intent, SliceRecord record, String host) {
        append(Entry.of(Entry.Op.INTENT, intent));
        pending.put(intent.id(), intent);
        redeemed.put(intent.ticket(), intent.ticketExpires());
        SliverInfo sliver;
        try {
            sliver = vmm.create(new SliverSpec(intent.sliver(), ResourcesJson.limits(intent.resources())));
        } catch (VmmException e) {
            abort(intent, false);
            throw switch (e.reason()) {
                case ALREADY_EXISTS -> Denials.sliverExists(host, "a sliver named " + intent.sliver()
                        + " exists on this node: " + e.getMessage());
                case INVALID_LIMIT -> Denials.overCapacity(List.of(new Reason("capacity", host, "vmm.limits",
                        e.getMessage())));
                default -> e;
            };
        } catch (RuntimeException e) {
            abort(intent, false);
            throw e;
        }
        try {
            AuthorizedKeys.install(sliver.home(), record.memberKeys());
        } catch (IOException | RuntimeException e) {
            abort(intent, true);
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE,
                    "cannot install the members' keys in sliver " + intent.sliver() + ": " + e.getMessage(), e);
        }
        Lease lease = intent.withTerms(intent.resources(), intent.end(), signer.sign(intent));
        try {
            append(Entry.of(Entry.Op.LEASE, lease));
        } catch (StorageException e) {
            abort(intent, true);
            throw e;
        }
        leases.put(lease.id(), lease);
        pending.remove(intent.id());
        LOG.info("granted lease {} to slice {}: {} until {} (ticket {})", lease.id(), lease.slice(), lease.resources(),
                lease.end(), lease.ticket());
        return lease;
    }

    /** Takes back an intent that came to nothing; the ticket may be redeemed again. Under the lock. */
    private void abort(Lease intent, boolean sliverMade) {
        pending.remove(intent.id());
        if (sliverMade) {
            try {
                vmm.destroy(intent.sliver());
            } catch (VmmException e) {
                // The intent stays in the journal: the next start destroys the sliver.
                LOG.error("cannot destroy sliver {} of a failed redemption: {}", intent.sliver(), e.getMessage());
                doomed.add(intent.sliver());
                return;
            }
        }
        redeemed.remove(intent.ticket());
        try {
            append(Entry.of(Entry.Op.ABORT, intent));
        } catch (StorageException e) {
            LOG.error("cannot journal the abort of lease {}; the next start resolves it", intent.id());
        }
    }

    private void requireCapacity(Resources wanted, Resources alreadyHeld, Policy rules, String host, Reason context) {
        List<Reason> over = new ArrayList<>(rules.capsExceeded(wanted, host));
        if (over.isEmpty()) {
            NodeCapacity node = vmm.capacity();
            Resources free = Capacity.forSlices(node, rules).minus(granted()).plus(alreadyHeld);
            over.addAll(Capacity.shortfalls(wanted, free, host, node.diskBytes() > 0));
        }
        if (!over.isEmpty()) {
            over.add(context);
            throw Denials.overCapacity(over);
        }
    }

    private void requireNoSliver(String sliceName, String host, Ticket ticket) {
        Optional<Lease> held = allHeld().stream().filter(l -> l.slice().equals(sliceName)).findFirst();
        if (held.isPresent()) {
            throw Denials.sliverExists(host, "slice " + sliceName + " holds a sliver here already (lease "
                    + held.get().id() + ", until " + held.get().end() + "); renew or resize it",
                    ticket.context("lease", host));
        }
        if (doomed.contains(sliceName) || vmm.find(sliceName).isPresent()) {
            throw Denials.sliverExists(host, "a sliver named " + sliceName + " exists on this node without a lease",
                    ticket.context("lease", host));
        }
    }

    // ---- Leases -----------------------------------------------------------------------------

    /** The leases {@code caller} may see, optionally of one slice, earliest end first. */
    public List<Lease> list(Caller caller, String sliceName) {
        Map<String, Optional<SliceRecord>> records = new java.util.HashMap<>();
        return leases.values().stream()
                .filter(l -> sliceName == null || sliceName.isEmpty() || l.slice().equals(sliceName))
                .filter(l -> Access.maySee(caller, l, records.computeIfAbsent(l.slice(), slices::slice)))
                .sorted(Comparator.comparing(Lease::end).thenComparing(Lease::id))
                .toList();
    }

    /** The lease {@code id} if {@code caller} may see it; lease-unknown otherwise (no hint that it exists). */
    public Lease get(String id, Caller caller) {
        Lease lease = leases.get(id);
        if (lease == null || !Access.maySee(caller, lease, slices.slice(lease.slice()))) {
            throw Denials.leaseUnknown(node.hostname(), "no lease " + id + " on this node that you may see");
        }
        return lease;
    }

    /** Renews to min(now + duration, the slice's expiry, now + maxLeaseTerm), with a fresh JWS. */
    public Lease renew(String id, Duration duration, Caller caller) {
        String host = node.hostname();
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw Denials.invalid(host, "renew.duration", "duration must be a positive ISO-8601 duration such as PT1H");
        }
        lock.lock();
        try {
            Lease lease = live(id, caller);
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            SliceRecord record = slices.slice(lease.slice()).filter(s -> now.isBefore(s.expires()))
                    .orElseThrow(() -> Denials.sliceUnknown(host, "slice.known", "slice " + lease.slice()
                            + " is no longer registered or has expired; its lease cannot be renewed"));
            Instant end = earliest(now.plus(duration), record.expires(), now.plus(policy.maxLeaseTerm()))
                    .truncatedTo(ChronoUnit.SECONDS);
            Lease draft = lease.withTerms(lease.resources(), end, null);
            Lease renewed = draft.withTerms(draft.resources(), end, signer.sign(draft));
            append(Entry.of(Entry.Op.UPDATE, renewed));
            leases.put(id, renewed);
            warned.remove(id);
            vmm.find(lease.sliver()).ifPresent(s -> refreshKeys(s, record));
            LOG.info("renewed lease {} of slice {} until {}", id, lease.slice(), end);
            return renewed;
        } finally {
            lock.unlock();
        }
    }

    /** Changes the lease's resources in place; growth must fit what is free and the caps. */
    public Lease resize(String id, Resources wanted, Caller caller) {
        String host = node.hostname();
        ResourcesJson.requireGrantable(wanted, host, "resize.resources");
        lock.lock();
        try {
            Lease lease = live(id, caller);
            requireCapacity(wanted, lease.resources(), policy, host, new Reason("capacity", host, "lease",
                    "lease " + id + " of slice " + lease.slice() + " holds " + lease.resources()));
            Lease draft = lease.withTerms(wanted, lease.end(), null);
            Lease resized = draft.withTerms(wanted, lease.end(), signer.sign(draft));
            append(Entry.of(Entry.Op.UPDATE, resized));
            leases.put(id, resized);
            try {
                vmm.resize(lease.sliver(), ResourcesJson.limits(wanted));
            } catch (RuntimeException e) {
                leases.put(id, lease);
                try {
                    append(Entry.of(Entry.Op.UPDATE, lease));
                } catch (StorageException again) {
                    LOG.error("cannot journal the undone resize of lease {}; the next start resolves it", id);
                }
                if (e instanceof VmmException v && v.reason() == VmmException.Reason.INVALID_LIMIT) {
                    throw Denials.overCapacity(List.of(new Reason("capacity", host, "vmm.limits", v.getMessage())));
                }
                throw e;
            }
            LOG.info("resized lease {} of slice {} to {}", id, lease.slice(), wanted);
            return resized;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the lease now: journaled, then its sliver destroyed. */
    public void release(String id, Caller caller) {
        lock.lock();
        try {
            Lease lease = get(id, caller);
            releaseLocked(lease, "released by " + caller.name());
        } finally {
            lock.unlock();
        }
    }

    /** Launches a program in the lease's sliver. */
    public ProgramInfo launch(String id, ProgramSpec program, Caller caller) {
        Lease lease = live(id, caller);
        try {
            return vmm.launch(lease.sliver(), program);
        } catch (VmmException e) {
            switch (e.reason()) {
                case INVALID_PROGRAM, LAUNCH_FAILED -> throw Denials.invalid(node.hostname(), "program.command", e.getMessage());
                // Released or reclaimed while the launch was on its way.
                case UNKNOWN_SLIVER -> throw Denials.leaseUnknown(node.hostname(), "lease " + id + " has just ended");
                default -> throw e;
            }
        }
    }

    /** The programs launched in the lease's sliver, oldest first. */
    public List<ProgramInfo> programs(String id, Caller caller) {
        Lease lease = get(id, caller);
        return vmm.find(lease.sliver()).map(SliverInfo::programs).orElse(List.of());
    }

    /** The API view of {@code lease} now. */
    public LeaseView view(Lease lease) {
        return LeaseView.of(lease, node.hostname(), clock.instant(), policy.warnBefore());
    }

    // ---- Reclaim ----------------------------------------------------------------------------

    /**
     * One pass of the timer: reclaims every lease that has ended, retries slivers that could not
     * be destroyed, warns once about leases about to end, and forgets tickets (redeemed, ended,
     * revoked) whose window is over.
     */
    public void reclaim() {
        Instant now = clock.instant();
        Duration warnBefore = policy.warnBefore();
        for (Lease lease : List.copyOf(leases.values())) {
            if (lease.endedBy(now)) {
                lock.lock();
                try {
                    Lease current = leases.get(lease.id());
                    if (current != null && current.endedBy(clock.instant())) {
                        releaseLocked(current, "reclaimed: it ended at " + current.end());
                    }
                } catch (StorageException e) {
                    LOG.error("cannot reclaim lease {}: {}", lease.id(), e.getMessage());
                } finally {
                    lock.unlock();
                }
            } else if (Duration.between(now, lease.end()).compareTo(warnBefore) <= 0 && warned.add(lease.id())) {
                LOG.warn("lease {} of slice {} ends in {} (at {})", lease.id(), lease.slice(),
                        LeaseView.describe(Duration.between(now, lease.end())), lease.end());
            }
        }
        for (String sliver : List.copyOf(doomed)) {
            lock.lock();
            try {
                if (allHeld().stream().noneMatch(l -> l.sliver().equals(sliver))) {
                    destroyQuietly(sliver);
                }
            } finally {
                lock.unlock();
            }
        }
        redeemed.values().removeIf(expires -> !now.isBefore(expires));
        ended.values().removeIf(expires -> !now.isBefore(expires));
        revoked.values().removeIf(expires -> !now.isBefore(expires));
        warned.retainAll(leases.keySet());
    }

    private void releaseLocked(Lease lease, String why) {
        append(Entry.of(Entry.Op.RELEASE, lease));
        // Ended before it leaves the leases: offer() reads without the lock, and must never see neither.
        ended.put(lease.ticket(), lease.ticketExpires());
        leases.remove(lease.id());
        warned.remove(lease.id());
        doomed.add(lease.sliver());
        destroyQuietly(lease.sliver());
        LOG.info("lease {} of slice {} ended ({}); sliver {} destroyed", lease.id(), lease.slice(), why, lease.sliver());
    }

    private void destroyQuietly(String sliver) {
        try {
            vmm.destroy(sliver);
            doomed.remove(sliver);
        } catch (VmmException e) {
            if (e.reason() == VmmException.Reason.UNKNOWN_SLIVER) {
                doomed.remove(sliver);
            } else {
                LOG.error("cannot destroy sliver {} (will retry): {}", sliver, e.getMessage());
            }
        }
    }

    // ---- LeaseLedger ------------------------------------------------------------------------

    @Override
    public NodeOffer offer() {
        Policy rules = policy;
        Resources capacity = Capacity.forSlices(vmm.capacity(), rules);
        Resources free = capacity.minus(granted());
        Set<String> current = leases.values().stream().map(Lease::ticket).collect(Collectors.toSet());
        Instant now = clock.instant();
        Set<String> endedTickets = ended.entrySet().stream()
                .filter(e -> now.isBefore(e.getValue()) && !current.contains(e.getKey()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        return new NodeOffer(capacity, free, current, endedTickets, rules.oversubscription());
    }

    @Override
    public Map<String, Instant> leaseEnds() {
        return leases.values().stream().collect(Collectors.toUnmodifiableMap(Lease::sliver, Lease::end, (a, b) -> a));
    }

    @Override
    public void revoked(String ticketId, Instant expires) {
        if (ticketId == null || expires == null || !clock.instant().isBefore(expires)
                || expires.equals(revoked.get(ticketId))) {
            return;
        }
        lock.lock();
        try {
            append(Entry.ticket(Entry.Op.REVOKED, ticketId, expires));
            revoked.put(ticketId, expires);
            LOG.info("ticket {} revoked by the agent (until {})", ticketId, expires);
        } finally {
            lock.unlock();
        }
    }

    // ---- State for health and tests -------------------------------------------------------------

    /** What the start-up reconciliation did, and when. */
    public Reconciler.Report reconciled() {
        return reconciled;
    }

    public Instant reconciledAt() {
        return reconciledAt;
    }

    /** Why the journal refuses changes, or null while it is healthy. */
    public String journalFailure() {
        return journal.failure();
    }

    public Path journalFile() {
        return journal.file();
    }

    /** This node's host name, as tickets name it in {@code aud}. */
    public String hostname() {
        return node.hostname();
    }

    public int leaseCount() {
        return leases.size();
    }

    /** Slivers of ended leases the VMM could not destroy yet (retried every reclaim pass). */
    public int sliversAwaitingDestruction() {
        return doomed.size();
    }

    public Policy policy() {
        return policy;
    }

    /** Replaces the policy (what a configuration change does). */
    void policy(Policy updated) {
        policy = updated;
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private Lease live(String id, Caller caller) {
        Lease lease = get(id, caller);
        if (lease.endedBy(clock.instant())) {
            throw Denials.leaseUnknown(node.hostname(), "lease " + id + " ended at " + lease.end()
                    + "; its sliver is being reclaimed");
        }
        return lease;
    }

    private List<Lease> allHeld() {
        List<Lease> all = new ArrayList<>(leases.values());
        all.addAll(pending.values());
        return all;
    }

    private Resources granted() {
        return allHeld().stream().map(Lease::resources).reduce(Resources.NONE, Resources::plus);
    }

    private void refreshKeys(SliverInfo sliver, SliceRecord record) {
        try {
            AuthorizedKeys.install(sliver.home(), record.memberKeys());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot refresh the members' keys of sliver {}: {}", sliver.name(), e.toString());
        }
    }

    private void append(Entry entry) {
        try {
            journal.append(entry);
        } catch (IOException e) {
            LOG.error("journal {} failed; the node manager refuses changes until it restarts", journal.file(), e);
            throw new StorageException("the node manager cannot record the change (its journal failed: "
                    + e.getMessage() + "); nothing was changed", e);
        }
    }

    private void schedule(Duration interval) {
        if (slice == null) {
            return;
        }
        lock.lock();
        try {
            if (timer != null) {
                timer.cancel(false);
            }
            // The first pass at once: leases may have ended while the node was down.
            timer = slice.scheduleAtFixedRate(this::reclaimLogged, timer == null ? Duration.ZERO : interval, interval);
        } finally {
            lock.unlock();
        }
    }

    private void reclaimLogged() {
        try {
            reclaim();
        } catch (RuntimeException e) {
            LOG.error("reclaim pass failed", e);
        }
    }

    private static Instant earliest(Instant a, Instant b, Instant c) {
        Instant min = a.isBefore(b) ? a : b;
        return min.isBefore(c) ? min : c;
    }

    private static String newLeaseId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static Path dataDirectory(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        return data != null ? Path.of(data).toAbsolutePath() : context.getDataFile("").toPath().toAbsolutePath();
    }
}
