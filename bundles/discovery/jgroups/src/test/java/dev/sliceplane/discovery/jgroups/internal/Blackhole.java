package dev.sliceplane.discovery.jgroups.internal;

import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * Test-only: once {@link #close() closed}, a member hears and says nothing through its transport,
 * as a hung process or a cut link would; its sockets stay open, so only heartbeats can tell.
 * {@link #open() Opened} again, it is a partition that healed.
 */
final class Blackhole extends Protocol {

    private volatile boolean closed;

    void close() {
        closed = true;
    }

    /** The link heals. */
    void open() {
        closed = false;
    }

    @Override
    public Object up(Message message) {
        return closed ? null : up_prot.up(message);
    }

    @Override
    public void up(MessageBatch batch) {
        if (!closed) {
            up_prot.up(batch);
        }
    }

    @Override
    public Object down(Message message) {
        return closed ? null : down_prot.down(message);
    }
}
