package dev.sliceplane.vmm.linux.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.sliceplane.vmm.api.VmmEvent;

/** Collects the events a backend reports. */
final class EventLog implements Consumer<VmmEvent> {

    private final List<VmmEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(VmmEvent event) {
        events.add(event);
    }

    synchronized List<VmmEvent> all() {
        return List.copyOf(events);
    }

    synchronized List<VmmEvent> of(VmmEvent.Kind kind, String sliver) {
        return events.stream().filter(e -> e.kind() == kind && e.sliver().equals(sliver)).toList();
    }

    synchronized List<VmmEvent> exits(String sliver, String programId) {
        return of(VmmEvent.Kind.PROGRAM_EXITED, sliver).stream().filter(e -> e.programId().equals(programId)).toList();
    }

    synchronized void clear() {
        events.clear();
    }

    @Override
    public synchronized String toString() {
        return events.toString();
    }
}
