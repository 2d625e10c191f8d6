package dev.sliceplane.discovery.registry.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.discovery.api.DiscoveryCounters;
import dev.sliceplane.discovery.api.Liveness;
import dev.sliceplane.discovery.api.NodeAdvert;

/**
 * Probes one node over HTTP: {@code GET /api/v1/health} (anonymous) says whether it answers and
 * its health; {@code GET /api/v1/discovery/self} (with this node's credential) gives its own
 * advertisement with its figures. A node that answers health but not its advertisement (it runs
 * no discovery web routes, or refuses the credential) is still alive, with what the registry
 * knows of it. Both have the same timeout; the future never fails. Thread-safe.
 */
final class Prober {

    /** What a probe found: {@code advert} is null when the node did not answer in time. */
    record Probe(Member member, NodeAdvert advert) {
        boolean answered() {
            return advert != null;
        }
    }

    static final String HEALTH = "/api/v1/health";
    static final String SELF = "/api/v1/discovery/self";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();

    Prober(HttpClient http, ObjectMapper json, Duration timeout, Clock clock) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.clock = clock;
    }

    CompletableFuture<Probe> probe(Member member, String credential) {
        if (member.url() == null) {
            return CompletableFuture.completedFuture(new Probe(member, null));
        }
        CompletableFuture<JsonNode> health = get(member, HEALTH, null);
        CompletableFuture<JsonNode> self = credential == null ? CompletableFuture.completedFuture(null)
                : get(member, SELF, credential).exceptionally(failure -> null);
        return health.thenCombine(self, (status, advert) -> {
            answered.incrementAndGet();
            return new Probe(member, advert(member, status, advert));
        }).exceptionally(failure -> new Probe(member, null));
    }

    /** The node's own advertisement when it sent a usable one, else what the registry knows; received now. */
    private NodeAdvert advert(Member member, JsonNode health, JsonNode self) {
        Instant now = clock.instant();
        String status = health == null ? null : health.path("status").asText(null);
        if (self != null && member.hostname().equals(self.path("hostname").asText())) {
            try {
                NodeAdvert sent = json.treeToValue(self, NodeAdvert.class);
                return new NodeAdvert(sent.hostname(), member.site(), member.url(), sent.roles(), sent.version(),
                        sent.location(), sent.cores(), sent.cpuBusy(), sent.load1(), sent.memTotal(),
                        sent.memAvailable(), sent.diskTotal(), sent.diskAvailable(), sent.slivers(),
                        status != null ? status : sent.health(), sent.advertisedAt(), now, Liveness.ALIVE);
            } catch (IOException | IllegalArgumentException e) {
                unreadable.incrementAndGet(); // and fall through: an advert that does not read is no advert
            }
        }
        return new NodeAdvert(member.hostname(), member.site(), member.url(), List.of(), "", "", 0, null, null, 0,
                null, 0, null, 0, status, null, now, Liveness.ALIVE);
    }

    /** Probes answered, adverts that did not read, body bytes received; requests are not counted. */
    DiscoveryCounters counters(long declaredDead) {
        return new DiscoveryCounters(answered.get(), unreadable.get(), declaredDead, DiscoveryCounters.NOT_COUNTED,
                bytesReceived.get());
    }

    /**
     * The JSON body of any HTTP answer (a 503 health is an answer: the node is up but not well),
     * null when the body is not JSON; fails when no answer came in time.
     */
    private CompletableFuture<JsonNode> get(Member member, String path, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(Urls.resolve(member.url(), path)).timeout(timeout)
                .header("Accept", "application/json").GET();
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> {
                    bytesReceived.addAndGet(response.body().length);
                    if (path.equals(SELF) && response.statusCode() != 200) {
                        return null;
                    }
                    try {
                        return json.readTree(response.body());
                    } catch (IOException e) {
                        return null;
                    }
                });
    }
}
