package dev.sliceplane.discovery.registry.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.platform.api.acquisition.NodeDirectory;

/**
 * One round of the registry implementation: read the members from the authority, probe them all
 * at once, apply the answers to the {@link View} and hand its changes on. When the authority does
 * not answer, the members of the last good read are probed, so liveness keeps up without it.
 * Rounds must not overlap (the caller runs one at a time).
 */
final class ProbeRounds {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRounds.class);

    /** How this round reaches the authority: its base URL, this node's credential, the in-process directory or null. */
    record Access(URI authority, String credential, NodeDirectory directory) {
    }

    private final RegistryReader reader;
    private final Prober prober;
    private final View view;
    private final Consumer<List<View.Event>> events;
    /** Written and read only by the round in progress. */
    private List<Member> lastMembers = List.of();

    ProbeRounds(RegistryReader reader, Prober prober, View view, Consumer<List<View.Event>> events) {
        this.reader = reader;
        this.prober = prober;
        this.view = view;
        this.events = events;
    }

    /** Runs one round; the future completes when its changes are applied, and never fails. */
    CompletableFuture<Void> run(Access access) {
        return guarded(() -> reader.members(access.authority(), access.credential(), access.directory()))
                .handle((members, failure) -> {
                    if (failure != null) {
                        LOG.debug("discovery: the authority's node list is unavailable, probing the last one: {}",
                                failure.toString());
                        return lastMembers;
                    }
                    lastMembers = members;
                    return members;
                })
                .thenCompose(members -> {
                    List<CompletableFuture<Prober.Probe>> probes = new ArrayList<>();
                    for (Member member : members) {
                        probes.add(guarded(() -> prober.probe(member, access.credential()))
                                .exceptionally(failure -> new Prober.Probe(member, null)));
                    }
                    return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenApply(done -> {
                        Map<String, Prober.Probe> byHost = new HashMap<>();
                        probes.forEach(p -> byHost.put(p.join().member().hostname(), p.join()));
                        return view.apply(members, byHost);
                    });
                })
                .thenAccept(events)
                .exceptionally(failure -> {
                    if (causedBy(failure, RejectedExecutionException.class)) {
                        LOG.debug("discovery: a probe round met the slice stopping: {}", failure.toString());
                    } else {
                        LOG.warn("discovery: a probe round failed", failure);
                    }
                    return null;
                });
    }

    /**
     * The call's future, or a failed one if the call throws: the HTTP client throws at once when
     * its executor (the slice's) is stopping, and a round must complete however it fails, or the
     * caller would never start another.
     */
    private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
