package dev.sliceplane.discovery.jgroups.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.MsgStats;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.ProtocolStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.NodeAdvert;
import dev.sliceplane.platform.api.acquisition.NodeSigner;

/**
 * This node's membership in the discovery group: one JGroups channel, the view it keeps from the
 * engine's views and the members' verified adverts, and this node's own advert, multicast on
 * {@link #advertise()} (periodically and after every view change). Membership, failure detection,
 * suspicion and merging are the engine's; this class only maps them onto {@link MemberView}.
 * JGroups calls the receiver on its own threads; adverts are built and signed on the given
 * executor (the bundle's slice). Thread-safe.
 */
final class GroupMember implements Receiver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);

    /**
     * @param cluster        the group's name: nodes with the same name and reachable seeds form one group
     * @param advertValidity how long a sent advert stays acceptable ({@code exp})
     */
    record Settings(String cluster, StackConfig stack, Duration advertValidity) {
    }

    private final Settings settings;
    private final NodeSigner signer;
    private final AdvertCodec codec;
    private final Supplier<CompletableFuture<AdvertContent>> content;
    private final Consumer<List<ViewEvent>> events;
    private final Executor executor;
    private final MemberView view = new MemberView();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong declaredDead = new AtomicLong();
    private volatile JChannel channel;
    private volatile NodeAdvert self;
    /** Set by {@link #close()}: a start still under way then leaves at once. */
    private volatile boolean closed;

    /**
     * @param content what to advertise now (asked before every advert)
     * @param events  told of every change of the view, in order per source, on the engine's or the executor's thread
     */
    GroupMember(Settings settings, NodeSigner signer, AdvertCodec codec, Supplier<CompletableFuture<AdvertContent>> content,
            Consumer<List<ViewEvent>> events, Executor executor) {
        this.settings = settings;
        this.signer = signer;
        this.codec = codec;
        this.content = content;
        this.events = events;
        this.executor = executor;
    }

    /** Joins the group (or founds it, when no seed answers within the join timeout). */
    void start() throws Exception {
        if (closed) {
            return;
        }
        JGroupsLogging.toSlf4j();
        JChannel created = new JChannel(settings.stack().xml());
        try {
            created.name(signer.hostname());
            created.getProtocolStack().insertProtocol(new SuspicionTap(this::suspicions), ProtocolStack.Position.BELOW,
                    VERIFY_SUSPECT2.class);
            created.receiver(this);
            // Byte and message counts for counters(); JGroups keeps none unless asked.
            created.getProtocolStack().getTransport().getMessageStats().enable(true);
            channel = created;
            created.connect(settings.cluster());
        } catch (Exception | Error e) {
            channel = null;
            created.close();
            throw e;
        }
        if (closed) {
            close();
            return;
        }
        LOG.info("{} joined discovery group {} as {} (view of {})", signer.hostname(), settings.cluster(),
                Members.id(created.address()), created.view() == null ? 0 : created.view().size());
        advertise();
    }

    /** Builds, signs and multicasts this node's advert; never fails (a failure is logged). */
    CompletableFuture<Void> advertise() {
        JChannel current = channel;
        if (current == null || !current.isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        String member = Members.id(current.address());
        return content.get().thenAcceptAsync(now -> {
            String token = codec.sign(signer, member, now, settings.advertValidity());
            self = codec.verify(token, member);
            try {
                current.send(new BytesMessage(null, token.getBytes(StandardCharsets.US_ASCII)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, executor).exceptionally(failure -> {
            if (current.isConnected()) {
                LOG.warn("{} could not advertise itself: {}", signer.hostname(), failure.toString());
            }
            return null;
        });
    }

    @Override
    public void receive(Message message) {
        received.incrementAndGet();
        String member = Members.id(message.getSrc());
        try {
            String token = new String(message.getArray(), message.getOffset(), message.getLength(),
                    StandardCharsets.US_ASCII);
            NodeAdvert advert = codec.verify(token, member);
            view.accept(member, advert).ifPresent(event -> events.accept(List.of(event)));
        } catch (AdvertRejectedException | IndexOutOfBoundsException | NullPointerException e) {
            long count = rejected.incrementAndGet();
            // Every rejection is counted; the log names the first ones and then every hundredth.
            if (count <= 10 || count % 100 == 0) {
                LOG.warn("dropped an advert from group member {} ({} rejected so far): {}", member, count,
                        e.getMessage());
            }
        }
    }

    @Override
    public void viewAccepted(View newView) {
        List<String> members = newView.getMembers().stream().map(Members::id).toList();
        List<ViewEvent> left = view.retain(members);
        declaredDead.addAndGet(left.stream().filter(e -> e instanceof ViewEvent.Left l && l.declaredDead()).count());
        if (!left.isEmpty()) {
            events.accept(left);
        }
        LOG.debug("{}: view {} of {} members", signer.hostname(), newView.getViewId(), members.size());
        // Newcomers (and the other side of a healed partition) learn about this node at once.
        executor.execute(this::advertise);
    }

    private void suspicions(Collection<String> members, boolean suspected) {
        List<ViewEvent> changed = view.suspect(members, suspected);
        if (!changed.isEmpty()) {
            events.accept(changed);
        }
    }

    List<NodeAdvert> nodes() {
        return view.nodes();
    }

    Optional<NodeAdvert> node(String hostname) {
        return view.node(hostname);
    }

    Optional<NodeAdvert> self() {
        return Optional.ofNullable(self);
    }

    /** Whether the channel is connected to its group now. */
    boolean joined() {
        JChannel current = channel;
        return current != null && current.isConnected();
    }

    /** Group members in the engine's current view, adverts received or not. */
    int viewSize() {
        JChannel current = channel;
        View v = current == null ? null : current.view();
        return v == null ? 0 : v.size();
    }

    long received() {
        return received.get();
    }

    long rejected() {
        return rejected.get();
    }

    /** The counts so far; bytes are the transport's, every protocol's traffic included. */
    DiscoveryCounters counters() {
        JChannel current = channel;
        MsgStats traffic = current == null ? null : current.getProtocolStack().getTransport().getMessageStats();
        return new DiscoveryCounters(received.get(), rejected.get(), declaredDead.get(),
                traffic == null ? 0 : traffic.getNumBytesSent(), traffic == null ? 0 : traffic.getNumBytesReceived());
    }

    /** The channel, for tests that change its stack; null before {@link #start()} and after {@link #close()}. */
    JChannel channel() {
        return channel;
    }

    /** This member's group address, for tests and diagnostics; null before it joined. */
    Address address() {
        JChannel current = channel;
        return current == null ? null : current.address();
    }

    /** Leaves the group cleanly (others see a new view at once, not a failure). */
    @Override
    public void close() {
        closed = true;
        JChannel current = channel;
        channel = null;
        if (current != null) {
            current.close();
        }
    }
}
