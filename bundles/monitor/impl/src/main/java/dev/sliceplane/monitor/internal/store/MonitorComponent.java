package dev.sliceplane.monitor.internal.store;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.monitor.api.History;
import dev.sliceplane.monitor.api.Monitor;
import dev.sliceplane.monitor.api.NodeFigures;
import dev.sliceplane.monitor.api.Resolution;
import dev.sliceplane.monitor.api.Series;
import dev.sliceplane.monitor.api.SliceFigures;
import dev.sliceplane.monitor.api.SliverFigures;
import dev.sliceplane.monitor.internal.AuthorityClock;
import dev.sliceplane.platform.api.acquisition.LeaseLedger;
import dev.sliceplane.platform.api.acquisition.NodeSigner;
import dev.sliceplane.platform.api.slice.ManagementSlice;
import dev.sliceplane.platform.api.slice.SliceRegistry;
import dev.sliceplane.platform.api.slice.SliceSnapshot;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.Vmm;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.api.VmmStatusListener;

/**
 * The {@link Monitor} service: a VMM status hook that feeds a {@link MonitorStore}, on the
 * executor of the monitor's management slice so that the work is metered and held to its share.
 * Everything beside the VMM's sample is optional and dynamic (the slice registry, the node
 * manager's lease ends, the node's credential for its host name, the VMM for memory limits), so
 * the monitor runs on any node, whatever else runs there. Registered also under its own class for
 * the bundle's query API, which needs the sample period.
 */
@Component(service = {Monitor.class, VmmStatusListener.class, MonitorComponent.class})
public final class MonitorComponent implements Monitor, VmmStatusListener {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorComponent.class);
    /** The platform's node identity; its {@code name} is the node's name when set. */
    static final String NODE_IDENTITY_PID = "dev.sliceplane.node";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SliceRegistry sliceRegistry;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LeaseLedger leaseLedger;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NodeSigner nodeSigner;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Vmm vmm;
    /** The bundle's own slice (a bundle-scoped service), whose executor applies the samples. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ManagementSlice slice;

    private final MonitorStore store;
    private final LatestSampleHandoff handoff;

    @Activate
    public MonitorComponent(@Reference AuthorityClock clock,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) ConfigurationAdmin configAdmin) {
        this.store = new MonitorStore(new Sources(clock, configuredName(configAdmin)));
        this.handoff = new LatestSampleHandoff(this::apply);
    }

    /** The store behind this service. */
    public MonitorStore store() {
        return store;
    }

    /** Hands the sample to the monitor's slice, so its cost is metered there. */
    @Override
    public void sampled(VmmSnapshot snapshot) {
        ManagementSlice own = slice;
        handoff.offer(snapshot, own == null ? null : own.executor());
    }

    private void apply(VmmSnapshot snapshot) {
        try {
            store.sampled(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("sample {} could not be applied", snapshot.sequence(), e);
        }
    }

    @Override
    public void event(VmmEvent event) {
        store.event(event);
    }

    @Override
    public Optional<NodeFigures> node() {
        return store.node();
    }

    @Override
    public List<SliverFigures> slivers() {
        return store.slivers();
    }

    @Override
    public List<SliceFigures> managementSlices() {
        return store.managementSlices();
    }

    @Override
    public History history(Series series, Resolution resolution) {
        return store.history(series, resolution);
    }

    @Override
    public List<Series> series() {
        return store.series();
    }

    /** The node's configured name ({@code name} of {@value #NODE_IDENTITY_PID}), or null. */
    private static String configuredName(ConfigurationAdmin admin) {
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + NODE_IDENTITY_PID + ")");
            Dictionary<String, Object> properties = found == null || found.length == 0 ? null : found[0].getProperties();
            Object name = properties == null ? null : properties.get("name");
            return name == null || name.toString().isBlank() ? null : name.toString().strip();
        } catch (Exception e) {
            return null;
        }
    }

    /** The optional services, read at each sample. */
    private final class Sources implements SampleContext {
        private final AuthorityClock clock;
        /** The configured name, else the host name, resolved once (it may ask DNS). */
        private final String fallbackName;

        Sources(AuthorityClock clock, String configuredName) {
            this.clock = clock;
            this.fallbackName = configuredName != null ? configuredName : localHostName();
        }

        @Override
        public String hostname() {
            NodeSigner signer = nodeSigner;
            return signer != null ? signer.hostname() : fallbackName;
        }

        @Override
        public Double clockOffsetSeconds() {
            return clock.latest().map(AuthorityClock.Offset::offsetSeconds).orElse(null);
        }

        @Override
        public List<SliceSnapshot> managementSlices() {
            SliceRegistry registry = sliceRegistry;
            return registry == null ? List.of() : registry.slices();
        }

        @Override
        public Map<String, Instant> leaseEnds() {
            LeaseLedger ledger = leaseLedger;
            return ledger == null ? Map.of() : ledger.leaseEnds();
        }

        @Override
        public Map<String, Long> memoryLimits() {
            Vmm current = vmm;
            if (current == null) {
                return null;
            }
            Map<String, Long> limits = new HashMap<>();
            for (SliverInfo info : current.list()) {
                limits.put(info.name(), info.limits().memoryBytes());
            }
            return limits;
        }

        @Override
        public Long memoryLimit(String sliver) {
            Vmm current = vmm;
            if (current == null) {
                return null;
            }
            return current.find(sliver).map(info -> info.limits().memoryBytes()).orElse(-1L);
        }

        private static String localHostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "localhost";
            }
        }
    }
}
