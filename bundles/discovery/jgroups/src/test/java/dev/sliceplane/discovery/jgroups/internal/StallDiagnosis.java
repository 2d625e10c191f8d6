package dev.sliceplane.discovery.jgroups.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.protocols.BasicTCP;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.pbcast.NAKACK2;

/**
 * SIMULATION diagnostics for a round that did not converge: for each member short of an advert,
 * what the engine holds between it and the member it has not heard from (the receiver's NAKACK2
 * window for that sender and the sender's own, both sides' UNICAST3 connections, whether each
 * knows the other's physical address), and the stacks of threads caught inside a receive. A
 * sender's messages are delivered to one receiver by one thread at a time, so a receive that never
 * returns would stall exactly one direction of one pair.
 */
final class StallDiagnosis {

    private StallDiagnosis() {
    }

    static String describe(List<DiscoverySimulation.Member> members, int expected) {
        StringBuilder out = new StringBuilder();
        for (DiscoverySimulation.Member receiver : members) {
            GroupMember membership = receiver.membership();
            if (membership.nodeCount() == expected && membership.viewSize() == expected) {
                continue;
            }
            for (DiscoverySimulation.Member sender : members) {
                if (sender != receiver && membership.node(sender.hostname()).isEmpty()) {
                    pair(out, receiver, sender);
                }
            }
        }
        out.append("threads inside a receive or blocked:\n").append(receivingThreads());
        return out.toString();
    }

    private static void pair(StringBuilder out, DiscoverySimulation.Member receiver, DiscoverySimulation.Member sender) {
        JChannel to = receiver.membership().channel();
        JChannel from = sender.membership().channel();
        if (to == null || from == null) {
            out.append(receiver.hostname()).append(" <- ").append(sender.hostname()).append(": a channel is closed\n");
            return;
        }
        Address src = from.address();
        Address dst = to.address();
        out.append("== ").append(receiver.hostname()).append(" (").append(dst).append(") has no advert from ")
                .append(sender.hostname()).append(" (").append(src).append(")\n");
        out.append("  receiver view ").append(to.view()).append('\n');
        out.append("  sender view   ").append(from.view()).append('\n');
        out.append("  receiver NAKACK2 window for sender: ").append(nakack(to).getWindow(src)).append('\n');
        out.append("  sender NAKACK2 own window:          ").append(nakack(from).getWindow(src)).append('\n');
        out.append("  receiver knows sender at ").append(physical(to, src))
                .append("; sender knows receiver at ").append(physical(from, dst)).append('\n');
        out.append("  receiver received ").append(receiver.membership().received()).append(" adverts in all, rejected ")
                .append(receiver.membership().rejected()).append('\n');
        out.append("  receiver UNICAST3:\n").append(indent(unicast(to).printConnections()));
        out.append("  sender UNICAST3:\n").append(indent(unicast(from).printConnections()));
        out.append("  receiver TCP connections:\n").append(indent(tcp(to)));
        out.append("  sender TCP connections:\n").append(indent(tcp(from)));
        out.append("  receiver's connection threads:\n").append(connectionThreads(receiver.hostname()));
    }

    private static String tcp(JChannel channel) {
        return channel.getProtocolStack().getTransport() instanceof BasicTCP tcp ? tcp.printConnections() : "(not TCP)";
    }

    /** The threads reading the member's TCP connections: one that waits on anything but its socket holds a peer up. */
    private static String connectionThreads(String hostname) {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(true, true))
                .filter(thread -> thread.getThreadName().startsWith("Connection.Receiver")
                        && thread.getThreadName().contains(hostname))
                .map(StallDiagnosis::stack)
                .collect(Collectors.joining());
    }

    private static NAKACK2 nakack(JChannel channel) {
        return channel.getProtocolStack().findProtocol(NAKACK2.class);
    }

    private static UNICAST3 unicast(JChannel channel) {
        return channel.getProtocolStack().findProtocol(UNICAST3.class);
    }

    private static Object physical(JChannel channel, Address member) {
        return channel.getProtocolStack().getTransport().down(new Event(Event.GET_PHYSICAL_ADDRESS, member));
    }

    private static String receivingThreads() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(true, true))
                .filter(StallDiagnosis::receivingOrBlocked)
                .map(StallDiagnosis::stack)
                .collect(Collectors.joining());
    }

    private static boolean receivingOrBlocked(ThreadInfo thread) {
        return thread.getThreadState() == Thread.State.BLOCKED || Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(GroupMember.class.getName())
                        && frame.getMethodName().equals("receive"));
    }

    private static String stack(ThreadInfo thread) {
        String frames = Arrays.stream(thread.getStackTrace()).limit(12).map(f -> "    at " + f + "\n")
                .collect(Collectors.joining());
        return "  \"" + thread.getThreadName() + "\" " + thread.getThreadState()
                + Optional.ofNullable(thread.getLockName()).map(lock -> " on " + lock).orElse("")
                + Optional.ofNullable(thread.getLockOwnerName()).map(owner -> " held by " + owner).orElse("") + "\n" + frames;
    }

    private static String indent(String text) {
        return text.lines().map(line -> "    " + line + "\n").collect(Collectors.joining());
    }
}
