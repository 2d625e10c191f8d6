package dev.sliceplane.discovery.jgroups.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * {@link #advertise()} (periodically) and sent to members new to it (when it joins a group, when
 * others join, when a partition heals).
 * Membership, failure detection, suspicion and merging are the engine's; this class only maps them
 * onto {@link MemberView}. JGroups calls the receiver on its own threads; adverts are built and
 * signed on the given executor (the bundle's slice). Thread-safe.
 *
 * <p>Why view changes cost little: only members new to this node need its advert, so it goes to
 * them alone, by unicast, as the bytes last signed (nothing is signed again, and receivers that
 * verified those bytes before need not verify them again); newcomers gathered while a send waits
 * on the executor go in that one task. With every member re-multicasting on every view change, N
 * members joining one by one would cost O(N³) signature checks across the group; this way each
 * member checks each other's advert about once. Unicast also reaches a member that joined in the
 * same view and has not installed it yet, which drops multicasts from members outside its view.
 */
final class GroupMember implements Receiver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);
    /** What a member multicasts as it leaves cleanly; never an advert (those are compact JWS, with dots). */
    private static final byte[] GOODBYE = "goodbye".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param cluster        the group's name: nodes with the same name and reachable seeds form one group
     * @param advertValidity how long a sent advert stays acceptable ({@code exp})
     */
    record Settings(String cluster, Supplier<InputStream> stack, Duration advertValidity) {

        Settings(String cluster, StackConfig stack, Duration advertValidity) {
            this(cluster, stack::xml, advertValidity);
        }
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
    /** The advert last signed, as sent: what newcomers are sent. Null until the first. */
    private volatile String lastSent;
    /** The engine's previous view, to tell newcomers from members already told; null before the first. */
    private volatile View lastView;
    /** An advert waits on the executor to be signed and sent: further requests join it. */
    private final AtomicBoolean advertPending = new AtomicBoolean();
    /** The first advert was asked for (by start() or the first view seen connected): once only. */
    private final AtomicBoolean firstAdvert = new AtomicBoolean();
    /** Members new to this node, waiting to be sent {@link #lastSent}: one task sends to all that gathered. */
    private final Set<Address> newcomers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean newcomersPending = new AtomicBoolean();
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

    /** Joins the group (or founds it, when no seed answers within the join timeout): {@link #prepare()}, then {@link #join()}. */
    void start() throws Exception {
        prepare();
        join();
    }

    /**
     * Creates this member's channel without joining: reads the stack and sets its protocols up
     * (JGroups parses the XML, creates and initialises every protocol). Sockets are bound only
     * when {@link #join()} connects. Does nothing once a channel exists or after {@link #close()}.
     */
    void prepare() throws Exception {
        if (closed || channel != null) {
            return;
        }
        JGroupsLogging.toSlf4j();
        JChannel created = new JChannel(settings.stack().get());
        try {
            created.name(signer.hostname());
            created.getProtocolStack().insertProtocol(new SuspicionTap(this::suspicions), ProtocolStack.Position.BELOW,
                    VERIFY_SUSPECT2.class);
            created.receiver(this);
            // Byte and message counts for counters(); JGroups keeps none unless asked.
            created.getProtocolStack().getTransport().getMessageStats().enable(true);
        } catch (Exception | Error e) {
            created.close();
            throw e;
        }
        channel = created;
    }

    /**
     * Connects the channel {@link #prepare()} created: starts its protocols (binding the
     * transport's and failure detection's ports), finds the group through the seeds and joins it,
     * or founds it when no seed answers within the join timeout. Blocks until then.
     */
    void join() throws Exception {
        JChannel prepared = channel;
        if (closed) {
            return;
        }
        if (prepared == null) {
            throw new IllegalStateException("join() before prepare()");
        }
        try {
            prepared.connect(settings.cluster());
        } catch (Exception | Error e) {
            channel = null;
            prepared.close();
            throw e;
        }
        if (closed) {
            close();
            return;
        }
        LOG.info("{} joined discovery group {} as {} (view of {})", signer.hostname(), settings.cluster(),
                Members.id(prepared.address()), prepared.view() == null ? 0 : prepared.view().size());
        requestFirstAdvert();
    }

    /** The first advert, once, whichever of start() and the first connected view asks first. */
    private void requestFirstAdvert() {
        if (firstAdvert.compareAndSet(false, true)) {
            requestAdvert();
        }
    }

    /**
     * Signs a fresh advert soon and sends it to the members waiting for it, once for all requests
     * made until that starts.
     */
    private void requestAdvert() {
        if (advertPending.compareAndSet(false, true)) {
            executor.execute(() -> {
                advertPending.set(false);
                advertise(false);
            });
        }
    }

    /** Builds, signs and multicasts this node's advert (the periodic one); never fails (a failure is logged). */
    CompletableFuture<Void> advertise() {
        return advertise(true);
    }

    /**
     * Builds and signs this node's advert, multicasts it if asked, and sends it by unicast to the
     * members still waiting for it (newcomers). Never fails (a failure is logged).
     */
    private CompletableFuture<Void> advertise(boolean multicast) {
        JChannel current = channel;
        if (current == null || !current.isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        String member = Members.id(current.address());
        return content.get().thenAcceptAsync(now -> {
            String token = codec.sign(signer, member, now, settings.advertValidity());
            NodeAdvert own = codec.verify(token, member);
            self = own;
            view.accept(member, own).ifPresent(event -> events.accept(List.of(event)));
            // Set before sending: a member joining meanwhile is then sent this advert.
            lastSent = token;
            if (multicast) {
                try {
                    current.send(new BytesMessage(null, token.getBytes(StandardCharsets.US_ASCII)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            tellNewcomers(current, token);
        }, executor).exceptionally(failure -> {
            if (current.isConnected()) {
                LOG.warn("{} could not advertise itself: {}", signer.hostname(), failure.toString());
            }
            return null;
        });
    }

    @Override
    public void receive(Message message) {
        String member = Members.id(message.getSrc());
        if (isGoodbye(message)) {
            view.farewell(member);
            return;
        }
        received.incrementAndGet();
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
        View previous = lastView;
        lastView = newView;
        JChannel current = channel;
        Address me = current == null ? null : current.address();
        // The members new to this node: all of them when it has just joined, else those not in its last view
        // (newcomers, or the other side of a healed partition). Only they need its advert.
        Set<Address> joined = new HashSet<>(newView.getMembers());
        if (previous != null && me != null && previous.containsMember(me)) {
            joined.removeAll(previous.getMembers());
        }
        joined.remove(me);
        if (joined.isEmpty()) {
            return;
        }
        newcomers.addAll(joined);
        if (current == null || !current.isConnected()) {
            return; // the first view comes while the channel still connects: start() advertises after it
        }
        if (lastSent == null) {
            // The first advert, once signed, goes to every member gathered in newcomers meanwhile.
            requestFirstAdvert();
        } else if (newcomersPending.compareAndSet(false, true)) {
            executor.execute(() -> {
                newcomersPending.set(false);
                tellNewcomers(current, lastSent);
            });
        }
    }

    /**
     * Sends {@code token} by unicast to each member waiting for this node's advert that is still in
     * the view. Unicast, not multicast: a member that joined in the same view as this one may not
     * have installed that view yet, and multicasts from members outside its view are dropped.
     */
    private void tellNewcomers(JChannel current, String token) {
        if (token == null || newcomers.isEmpty()) {
            return;
        }
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        View view = current.view();
        Set<Address> present = view == null ? Set.of() : new HashSet<>(view.getMembers());
        for (Address newcomer : List.copyOf(newcomers)) {
            newcomers.remove(newcomer);
            if (present.contains(newcomer)) {
                try {
                    current.send(new BytesMessage(newcomer, bytes));
                } catch (Exception e) {
                    LOG.debug("{} could not send its advert to newcomer {}: {}", signer.hostname(), newcomer, e.toString());
                }
            }
        }
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

    /** How many verified nodes the view holds (this one included once it advertised). */
    int nodeCount() {
        return view.size();
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

    /** The channel, for tests that change its stack; null before {@link #prepare()} and after {@link #close()}. */
    JChannel channel() {
        return channel;
    }

    /** This member's group address, for tests and diagnostics; null before it joined. */
    Address address() {
        JChannel current = channel;
        return current == null ? null : current.address();
    }

    /**
     * Leaves the group cleanly: says goodbye, so the others report a departure rather than a death,
     * then leaves (others see a new view at once, not a failure).
     */
    @Override
    public void close() {
        closed = true;
        JChannel current = channel;
        channel = null;
        if (current != null) {
            sayGoodbye(current);
            current.close();
        }
    }

    /**
     * Multicasts the goodbye and waits (RSVP, at most a second) until every member has delivered
     * it, then the caller leaves. Without the wait the coordinator could handle the leave request,
     * which bypasses the ordering of ordinary messages, and others install the view without this
     * member before the goodbye is delivered; they would then drop it (its sender is no longer a
     * member) and report a death. A member that does not acknowledge in time reads the leave so.
     */
    private void sayGoodbye(JChannel current) {
        if (!current.isConnected()) {
            return;
        }
        try {
            current.send(new BytesMessage(null, GOODBYE).setFlag(Message.Flag.RSVP)
                    .setFlag(Message.TransientFlag.DONT_LOOPBACK));
        } catch (Exception e) {
            LOG.debug("{} could not say goodbye: {}", signer.hostname(), e.toString());
        }
    }

    private static boolean isGoodbye(Message message) {
        return message.getLength() == GOODBYE.length
                && Arrays.equals(message.getArray(), message.getOffset(), message.getOffset() + GOODBYE.length,
                        GOODBYE, 0, GOODBYE.length);
    }
}
