package dev.sliceplane.discovery.jgroups.internal;

import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.stack.Protocol;

/**
 * A pass-through layer just below VERIFY_SUSPECT2 that reports the failure detectors' suspicions
 * (and VERIFY_SUSPECT2's all-clear) to the view, so a member shows SUSPECT while the engine checks
 * it, before the engine declares it dead by a new view. JGroups' Receiver is not told of
 * suspicions; it consumes them in GMS. It adds no header and changes no event.
 */
final class SuspicionTap extends Protocol {

    private final BiConsumer<Collection<String>, Boolean> suspicions;

    /** @param suspicions told the suspected members' addresses and true, or cleared ones and false */
    SuspicionTap(BiConsumer<Collection<String>, Boolean> suspicions) {
        this.suspicions = suspicions;
    }

    @Override
    public Object up(Event event) {
        if (event.getType() == Event.SUSPECT || event.getType() == Event.UNSUSPECT) {
            List<String> members = addresses(event.getArg());
            if (!members.isEmpty()) {
                suspicions.accept(members, event.getType() == Event.SUSPECT);
            }
        }
        return up_prot.up(event);
    }

    @Override
    public Object down(Event event) {
        // VERIFY_SUSPECT2 sends UNSUSPECT down as well as up when a suspect answers.
        if (event.getType() == Event.UNSUSPECT) {
            List<String> members = addresses(event.getArg());
            if (!members.isEmpty()) {
                suspicions.accept(members, false);
            }
        }
        return down_prot.down(event);
    }

    private static List<String> addresses(Object arg) {
        if (arg instanceof Address address) {
            return List.of(Members.id(address));
        }
        if (arg instanceof Collection<?> many) {
            return many.stream().filter(Address.class::isInstance).map(a -> Members.id((Address) a)).toList();
        }
        return List.of();
    }
}
