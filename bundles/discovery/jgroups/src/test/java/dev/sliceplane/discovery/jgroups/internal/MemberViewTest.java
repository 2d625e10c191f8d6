package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

class MemberViewTest {

    private final MemberView view = new MemberView();

    @Test
    void aNewHostJoinsAndOnlyARealChangeIsAChange() {
        assertEquals(Optional.of(new ViewEvent.Joined(advert("b", 1, Instant.ofEpochSecond(1)))),
                view.accept("m-b", advert("b", 1, Instant.ofEpochSecond(1))));
        assertEquals(Optional.empty(), view.accept("m-b", advert("b", 1, Instant.ofEpochSecond(2))),
                "a re-sent advert saying the same is no change");
        assertTrue(view.accept("m-b", advert("b", 2, Instant.ofEpochSecond(3))).orElseThrow() instanceof ViewEvent.Changed);
        view.accept("m-a", advert("a", 0, Instant.ofEpochSecond(3)));
        assertEquals(List.of("a", "b"), view.nodes().stream().map(NodeAdvert::hostname).toList());
    }

    @Test
    void anAdvertArrivingAfterItsMemberLeftTheViewIsIgnored() {
        view.retain(List.of("m-a", "m-b"));
        view.accept("m-a", advert("a", 0, Instant.now()));
        view.accept("m-b", advert("b", 0, Instant.now()));
        view.retain(List.of("m-a"));

        assertEquals(Optional.empty(), view.accept("m-b", advert("b", 0, Instant.now())), "late, from a member gone");
        assertTrue(view.node("b").isEmpty());
        assertTrue(view.accept("m-c", advert("c", 0, Instant.now())).isPresent(),
                "a member not in the view yet is taken: it may be a newcomer this node has not installed the view of");
        assertTrue(view.accept("m-b2", advert("b", 0, Instant.now())).isPresent(), "b back as a new member");
    }

    @Test
    void anAdvertFromADepartedMemberIsShownWhenAPartitionHealsAndBringsTheMemberBack() {
        view.retain(List.of("m-a", "m-b"));
        view.accept("m-b", advert("b", 0, Instant.now()));
        view.retain(List.of("m-a"));
        assertEquals(Optional.empty(), view.accept("m-b", advert("b", 1, Instant.now())), "arrived before the merged view");

        List<ViewEvent> events = view.retain(List.of("m-a", "m-b"));

        assertEquals(1, events.size(), events.toString());
        assertTrue(events.get(0) instanceof ViewEvent.Joined j && j.node().slivers() == 1, events.toString());
        assertEquals(1, view.node("b").orElseThrow().slivers());
    }

    @Test
    void aSuspectedMemberShowsSuspectAndIsDeclaredDeadWhenItLeavesTheView() {
        view.accept("m-a", advert("a", 0, Instant.now()));
        view.accept("m-b", advert("b", 0, Instant.now()));

        List<ViewEvent> suspected = view.suspect(List.of("m-b"), true);
        assertEquals(Liveness.SUSPECT, view.node("b").orElseThrow().liveness());
        assertEquals(1, suspected.size());
        view.accept("m-b", advert("b", 0, Instant.now()));
        assertEquals(Liveness.SUSPECT, view.node("b").orElseThrow().liveness(), "an advert in flight does not clear a suspicion");

        assertEquals(List.of(new ViewEvent.Left("b", true)), view.retain(List.of("m-a")));
        assertEquals(List.of("a"), view.nodes().stream().map(NodeAdvert::hostname).toList());
    }

    @Test
    void aClearedSuspicionIsAliveAgainAndOnlyALeaveWithAGoodbyeIsNotADeath() {
        view.accept("m-a", advert("a", 0, Instant.now()));
        view.suspect(List.of("m-a"), true);
        view.suspect(List.of("m-a"), false);
        assertEquals(Liveness.ALIVE, view.node("a").orElseThrow().liveness());

        view.accept("m-c", advert("c", 0, Instant.now()));
        view.accept("m-d", advert("d", 0, Instant.now()));
        view.retain(List.of("m-a", "m-c", "m-d"));
        view.farewell("m-c");
        assertEquals(List.of(new ViewEvent.Left("c", false), new ViewEvent.Left("d", true)),
                view.retain(List.of("m-a")).stream().sorted(java.util.Comparator.comparing(Object::toString)).toList(),
                "c said goodbye; d left without one, never suspected here: declared dead all the same");
    }

    @Test
    void aRestartedNodeUnderANewMemberIsNotRemovedWhenItsOldMemberLeaves() {
        view.accept("m-old", advert("a", 0, Instant.now()));
        view.accept("m-new", advert("a", 0, Instant.now()));

        assertEquals(List.of(), view.retain(List.of("m-new")));
        assertEquals(List.of("a"), view.nodes().stream().map(NodeAdvert::hostname).toList());
    }

    private static NodeAdvert advert(String hostname, int slivers, Instant at) {
        return new NodeAdvert(hostname, "site", URI.create("http://" + hostname), List.of("node"), "1", "", 2, 0.5, 1.0,
                100, 50L, 1000, 500L, slivers, "UP", at, at, Liveness.ALIVE);
    }
}
