package dev.sliceplane.discovery.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

/** The liveness rule: alive on an answer, suspect after one miss, gone after K, and who enters at all. */
class ViewTest {

    private final View view = new View(3);
    private final Member a = new Member("a.test", "x", URI.create("http://127.0.0.1:1"));
    private final Member b = new Member("b.test", "x", URI.create("http://127.0.0.1:2"));

    private static Prober.Probe answered(Member m) {
        return new Prober.Probe(m, new NodeAdvert(m.hostname(), m.site(), m.url(), List.of(), "", "", 1, null, null,
                0, null, 0, null, 0, "UP", null, Instant.now(), Liveness.ALIVE));
    }

    private static Prober.Probe missed(Member m) {
        return new Prober.Probe(m, null);
    }

    private Liveness liveness(String hostname) {
        return view.node(hostname).map(NodeAdvert::liveness).orElse(null);
    }

    @Test
    void aNodeIsSuspectAfterOneMissAndLeavesAfterThree() {
        List<View.Event> first = view.apply(List.of(a, b), Map.of("a.test", answered(a), "b.test", answered(b)));
        assertEquals(2, first.stream().filter(e -> e instanceof View.Joined).count());

        List<View.Event> miss1 = view.apply(List.of(a, b), Map.of("a.test", answered(a), "b.test", missed(b)));
        assertEquals(Liveness.SUSPECT, liveness("b.test"));
        assertTrue(miss1.contains(new View.Changed(view.node("b.test").orElseThrow())), miss1.toString());

        view.apply(List.of(a, b), Map.of("a.test", answered(a), "b.test", missed(b)));
        assertEquals(Liveness.SUSPECT, liveness("b.test"), "two misses: still suspect");
        List<View.Event> miss3 = view.apply(List.of(a, b), Map.of("a.test", answered(a), "b.test", missed(b)));
        assertEquals(null, liveness("b.test"), "three misses: gone");
        assertTrue(miss3.contains(new View.Left("b.test", true)), miss3.toString());
        assertEquals(Liveness.ALIVE, liveness("a.test"));
    }

    @Test
    void anAnswerClearsSuspicion() {
        view.apply(List.of(a), Map.of("a.test", answered(a)));
        view.apply(List.of(a), Map.of("a.test", missed(a)));
        view.apply(List.of(a), Map.of("a.test", missed(a)));
        view.apply(List.of(a), Map.of("a.test", answered(a)));
        view.apply(List.of(a), Map.of("a.test", missed(a)));
        view.apply(List.of(a), Map.of("a.test", missed(a)));
        assertEquals(Liveness.SUSPECT, liveness("a.test"), "the misses count again from the answer");
    }

    @Test
    void aNodeNeverSeenAnsweringDoesNotEnterAndOneUnlistedLeavesCleanly() {
        view.apply(List.of(a, b), Map.of("a.test", answered(a), "b.test", missed(b)));
        assertEquals(List.of("a.test"), view.nodes().stream().map(NodeAdvert::hostname).toList());

        List<View.Event> events = view.apply(List.of(b), Map.of("b.test", missed(b)));
        assertTrue(view.nodes().isEmpty());
        assertEquals(List.of(new View.Left("a.test", false)), events);
    }
}
