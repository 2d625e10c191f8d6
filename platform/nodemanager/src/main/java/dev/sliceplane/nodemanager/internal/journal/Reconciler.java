package dev.sliceplane.nodemanager.internal.journal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.nodemanager.internal.Lease;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmException;

/**
 * Brings the journal and the VMM into agreement at start, whatever step a crash interrupted:
 * <ul>
 * <li>an intent without its lease was never acknowledged: its sliver, if made, is destroyed and
 * its ticket may be redeemed again;</li>
 * <li>a released lease's sliver that still exists is destroyed;</li>
 * <li>a lease whose sliver is gone is dropped (and logged): it cannot be honoured, and its ticket
 * counts as ended;</li>
 * <li>a lease's sliver whose limits differ from the lease (a resize cut short) is set back to the lease.</li>
 * </ul>
 * Slivers the journal never mentions were not made by the node manager (the node's shell, an
 * operator) and are left alone. What could not be destroyed stays in the state, to be tried again.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /**
     * What reconciling changed.
     *
     * @param destroyed slivers destroyed (unacknowledged intents, releases cut short)
     * @param dropped   leases dropped because their sliver was gone
     * @param resized   slivers set back to their lease's limits
     * @param unmanaged slivers the journal does not know, left alone
     */
    public record Report(List<String> destroyed, List<String> dropped, List<String> resized, List<String> unmanaged) {
    }

    private Reconciler() {
    }

    /** Reconciles {@code state} with {@code vmm}, changing both. */
    public static Report reconcile(JournalState state, Vmm vmm, Function<Lease, Limits> limitsOf) {
        Map<String, SliverInfo> present = vmm.list().stream().collect(Collectors.toMap(SliverInfo::name, s -> s));
        Set<String> leased = state.leases().values().stream().map(Lease::sliver).collect(Collectors.toSet());
        List<String> destroyed = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> resized = new ArrayList<>();
        Set<String> known = new HashSet<>(leased);

        for (Iterator<Lease> it = state.intents().values().iterator(); it.hasNext();) {
            Lease intent = it.next();
            known.add(intent.sliver());
            if (leased.contains(intent.sliver())) {
                it.remove();
                continue;
            }
            if (!present.containsKey(intent.sliver()) || destroy(vmm, intent.sliver(), "its lease was never granted")) {
                if (present.containsKey(intent.sliver())) {
                    destroyed.add(intent.sliver());
                }
                it.remove();
                state.redeemed().remove(intent.ticket());
            }
        }
        for (Iterator<Lease> it = state.released().values().iterator(); it.hasNext();) {
            Lease released = it.next();
            known.add(released.sliver());
            if (leased.contains(released.sliver())) {
                it.remove();
                continue;
            }
            if (!present.containsKey(released.sliver()) || destroy(vmm, released.sliver(), "its lease was released")) {
                if (present.containsKey(released.sliver())) {
                    destroyed.add(released.sliver());
                }
                it.remove();
            }
        }
        for (Iterator<Lease> it = state.leases().values().iterator(); it.hasNext();) {
            Lease lease = it.next();
            SliverInfo sliver = present.get(lease.sliver());
            if (sliver == null) {
                LOG.warn("lease {} of slice {} dropped: its sliver {} is gone", lease.id(), lease.slice(), lease.sliver());
                dropped.add(lease.id());
                state.ended().put(lease.ticket(), lease.ticketExpires());
                it.remove();
                continue;
            }
            Limits wanted = limitsOf.apply(lease);
            if (!wanted.equals(sliver.limits())) {
                try {
                    vmm.resize(lease.sliver(), wanted);
                    LOG.warn("sliver {} had limits {} but its lease {} grants {}: set back", lease.sliver(),
                            sliver.limits(), lease.id(), wanted);
                    resized.add(lease.sliver());
                } catch (VmmException e) {
                    LOG.error("cannot set sliver {} back to its lease's limits {}: {}", lease.sliver(), wanted, e.getMessage());
                }
            }
        }
        List<String> unmanaged = present.keySet().stream().filter(name -> !known.contains(name)).sorted().toList();
        if (!unmanaged.isEmpty()) {
            LOG.info("slivers not made by the node manager, left alone: {}", unmanaged);
        }
        return new Report(destroyed, dropped, resized, unmanaged);
    }

    private static boolean destroy(Vmm vmm, String sliver, String why) {
        try {
            vmm.destroy(sliver);
            LOG.warn("destroyed sliver {}: {}", sliver, why);
            return true;
        } catch (VmmException e) {
            if (e.reason() == VmmException.Reason.UNKNOWN_SLIVER) {
                return true;
            }
            LOG.error("cannot destroy sliver {} ({}); will try again at the next start: {}", sliver, why, e.getMessage());
            return false;
        }
    }
}
