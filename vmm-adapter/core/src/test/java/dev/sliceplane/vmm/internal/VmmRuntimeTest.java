package dev.sliceplane.vmm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sliceplane.vmm.api.BackendInfo;
import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.NodeCapacity;
import dev.sliceplane.vmm.api.NodeStatus;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.SliverInfo;
import dev.sliceplane.vmm.api.SliverSpec;
import dev.sliceplane.vmm.api.SliverState;
import dev.sliceplane.vmm.api.SliverUsage;
import dev.sliceplane.vmm.api.VmmEvent;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.api.VmmSnapshot;
import dev.sliceplane.vmm.api.VmmStatusListener;
import dev.sliceplane.vmm.spi.VmmBackend;

class VmmRuntimeTest {

    private final StatusHooks hooks = new StatusHooks("runtime-test-hook-");
    private final List<VmmEvent> extraSink = new CopyOnWriteArrayList<>();
    private final NodeStatus machine = new NodeStatus(Instant.EPOCH, false, 2, 0, 0, 0,
            new NodeStatus.CpuTimes(0, 0, 0, 0, 0, 0, 0, 0), null, 1 << 30, 1 << 29, 0, 0,
            new NodeStatus.Filesystem("/", "dev", "ext4", 100, 50, 40), 0, 1, List.of());
    private VmmRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        hooks.close();
    }

    @Test
    void aSampleNeverSeesASliverHalfMade() throws Exception {
        FakeBackend backend = new FakeBackend(VmmRuntime.eventSink(hooks, extraSink::add));
        runtime = new VmmRuntime(backend, hooks, () -> machine, Clock.systemUTC(), Duration.ZERO);
        Thread sampler = new Thread(() -> {
            for (int i = 0; i < 2_000; i++) {
                runtime.sample();
            }
        });
        sampler.start();
        for (int i = 0; i < 200; i++) {
            runtime.create(new SliverSpec("s" + i, Limits.NONE));
        }
        sampler.join();
        assertFalse(backend.sawHalfMade, "usage ran while a creation was half done");
        assertEquals(200, runtime.sample().slivers().size());
    }

    @Test
    void eventsReachListenersAndTheExtraSinkAndSamplesCarryTheMachineStatus() throws Exception {
        CountDownLatch gotEvent = new CountDownLatch(1);
        CountDownLatch gotSample = new CountDownLatch(1);
        hooks.add(new VmmStatusListener() {
            @Override
            public void event(VmmEvent event) {
                gotEvent.countDown();
            }

            @Override
            public void sampled(VmmSnapshot snapshot) {
                gotSample.countDown();
            }
        }, "listener");
        FakeBackend backend = new FakeBackend(VmmRuntime.eventSink(hooks, extraSink::add));
        runtime = new VmmRuntime(backend, hooks, () -> machine, Clock.systemUTC(), Duration.ofMillis(50));

        runtime.create(new SliverSpec("alice_one", Limits.NONE));

        assertTrue(gotEvent.await(5, TimeUnit.SECONDS));
        assertTrue(gotSample.await(5, TimeUnit.SECONDS), "the scheduled sampler feeds listeners");
        assertEquals(VmmEvent.Kind.CREATED, extraSink.get(0).kind());
        VmmSnapshot snapshot = runtime.sample();
        assertEquals(machine, snapshot.node());
        assertTrue(snapshot.sequence() > 1);
        // The 50 ms sampler may have taken a newer one since; never an older one.
        assertTrue(runtime.lastSample().orElseThrow().sequence() >= snapshot.sequence());
        assertEquals("fake", snapshot.backend());
    }

    @Test
    void aSimulationSuppliesItsOwnNodeStatus() {
        FakeBackend backend = new FakeBackend(VmmRuntime.eventSink(hooks, extraSink::add));
        NodeStatus simulatedNode = new NodeStatus(Instant.EPOCH, true, 64, 1, 1, 1, machine.cpu(), null, 1, 1, 0, 0,
                machine.disk(), 0, 1, List.of());
        backend.nodeStatus = simulatedNode;
        runtime = new VmmRuntime(backend, hooks, () -> {
            throw new AssertionError("the machine is not read for a simulation");
        }, Clock.systemUTC(), Duration.ZERO);
        assertEquals(simulatedNode, runtime.sample().node());
    }

    @Test
    void badInputIsRefusedBeforeTheBackendSeesIt() {
        FakeBackend backend = new FakeBackend(VmmRuntime.eventSink(hooks, extraSink::add));
        runtime = new VmmRuntime(backend, hooks, () -> machine, Clock.systemUTC(), Duration.ZERO);
        VmmException invalid = assertThrows(VmmException.class, () -> runtime.destroy("../etc"));
        assertEquals(VmmException.Reason.INVALID_NAME, invalid.reason());
        assertThrows(IllegalArgumentException.class, () -> runtime.stop("a", Duration.ofSeconds(-1)));
        assertEquals(0, backend.calls);
    }

    @Test
    void closingStopsSamplingAndClosesTheBackend() {
        FakeBackend backend = new FakeBackend(VmmRuntime.eventSink(hooks, extraSink::add));
        runtime = new VmmRuntime(backend, hooks, () -> machine, Clock.systemUTC(), Duration.ofMillis(10));
        runtime.close();
        int passes = backend.usagePasses;
        assertTrue(backend.closed);
        assertEquals(passes, backend.usagePasses);
        runtime = null;
    }

    /** Just enough of a backend to see what the runtime does around it. */
    private static final class FakeBackend implements VmmBackend {
        private final Consumer<VmmEvent> events;
        private final Map<String, SliverInfo> slivers = new TreeMap<>();
        volatile boolean halfMade;
        volatile boolean sawHalfMade;
        volatile boolean closed;
        volatile int usagePasses;
        int calls;
        NodeStatus nodeStatus;

        FakeBackend(Consumer<VmmEvent> events) {
            this.events = events;
        }

        @Override
        public BackendInfo info() {
            return new BackendInfo("fake", "a fake", false, Map.of());
        }

        @Override
        public NodeCapacity capacity() {
            return new NodeCapacity(2, 1 << 30, 1 << 30, List.of("lo"));
        }

        @Override
        public SliverInfo create(SliverSpec spec) {
            calls++;
            halfMade = true;
            sleepBriefly(); // widens the window a sample could slip into
            SliverInfo info = new SliverInfo(spec.name(), spec.limits(), Map.of(), Path.of("/tmp"), Instant.EPOCH,
                    List.of());
            slivers.put(spec.name(), info);
            halfMade = false;
            events.accept(VmmEvent.created(spec.name(), Instant.EPOCH));
            return info;
        }

        private static void sleepBriefly() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public ProgramInfo launch(String sliver, ProgramSpec program) {
            calls++;
            throw new VmmException(VmmException.Reason.NOT_SUPPORTED, "fake");
        }

        @Override
        public void stop(String sliver, Duration grace) {
            calls++;
        }

        @Override
        public void kill(String sliver) {
            calls++;
        }

        @Override
        public SliverInfo resize(String sliver, Limits limits) {
            calls++;
            return slivers.get(sliver);
        }

        @Override
        public void destroy(String sliver) {
            calls++;
            slivers.remove(sliver);
        }

        @Override
        public List<SliverInfo> list() {
            return new ArrayList<>(slivers.values());
        }

        @Override
        public Optional<SliverInfo> find(String sliver) {
            return Optional.ofNullable(slivers.get(sliver));
        }

        @Override
        public List<SliverUsage> usage() {
            if (halfMade) {
                sawHalfMade = true;
            }
            usagePasses++;
            return slivers.keySet().stream()
                    .map(name -> new SliverUsage(name, SliverState.IDLE, 0, 0L, 0L, 0, 0L, null, null, 0)).toList();
        }

        @Override
        public Optional<NodeStatus> nodeStatus() {
            return Optional.ofNullable(nodeStatus);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
