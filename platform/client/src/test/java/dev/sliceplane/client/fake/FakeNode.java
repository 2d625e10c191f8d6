package dev.sliceplane.client.fake;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * TEST FIXTURE, not the node manager: the routes under {@code /api/v1/leases} as the contract
 * describes them, over an in-memory table. A ticket is {@link FakeAuthority}'s readable stand-in
 * for the JWS; a lease is granted for the ticket's resources for one hour. Refusals can be
 * scripted per route.
 */
public final class FakeNode extends FakeServer {

    private static final Pattern LEASE = Pattern.compile("/api/v1/leases/([^/?]+)(/renew|/programs)?");

    private final String host;
    private final Map<String, ObjectNode> leases = new ConcurrentHashMap<>();
    private final Map<String, ArrayNode> programs = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile Answer redeemRefusal;
    private volatile Answer programRefusal;
    private volatile Answer renewRefusal;
    private volatile CountDownLatch hold;

    public FakeNode(String host) throws IOException {
        this.host = host;
    }

    public String host() {
        return host;
    }

    /** Ticket redemption answers this from now on. */
    public FakeNode refuseRedeem(Answer refusal) {
        this.redeemRefusal = refusal;
        return this;
    }

    /** Starting a program answers this from now on. */
    public FakeNode refusePrograms(Answer refusal) {
        this.programRefusal = refusal;
        return this;
    }

    /** Renewals answer this from now on. */
    public FakeNode refuseRenew(Answer refusal) {
        this.renewRefusal = refusal;
        return this;
    }

    /** Every request waits until {@code latch} opens: a node that accepts connections but does not answer. */
    public FakeNode holdAnswersUntil(CountDownLatch latch) {
        this.hold = latch;
        return this;
    }

    /** The leases held now, as their views. */
    public List<JsonNode> leases() {
        return List.copyOf(leases.values());
    }

    @Override
    protected Answer answer(Request request) {
        CountDownLatch latch = hold;
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String path = request.target().contains("?") ? request.target().substring(0, request.target().indexOf('?'))
                : request.target();
        if (path.equals("/api/v1/leases")) {
            return switch (request.method()) {
                case "POST" -> redeem(request.body());
                case "GET" -> list(request.target());
                default -> Answer.problem(405, "method-not-allowed", request.method());
            };
        }
        Matcher lease = LEASE.matcher(path);
        if (!lease.matches()) {
            return Answer.problem(404, "not-found", "no route " + path);
        }
        ObjectNode view = leases.get(decode(lease.group(1)));
        if (view == null) {
            return Answer.problem(404, "lease-unknown", "no lease " + lease.group(1),
                    new String[] {"lease", host, "lease.id", "no lease " + lease.group(1) + " on " + host});
        }
        String action = request.method() + " " + (lease.group(2) == null ? "" : lease.group(2));
        return switch (action) {
            case "GET " -> Answer.json(200, view);
            case "DELETE " -> release(view);
            case "PATCH " -> resize(view, request.body());
            case "POST /renew" -> renewRefusal != null ? renewRefusal : renew(view, request.body());
            case "POST /programs" -> programRefusal != null ? programRefusal : start(view, request.body());
            case "GET /programs" -> Answer.json(200, programs.get(view.get("id").asText()));
            default -> Answer.problem(405, "method-not-allowed", action);
        };
    }

    private Answer redeem(JsonNode body) {
        if (redeemRefusal != null) {
            return redeemRefusal;
        }
        JsonNode ticket = FakeAuthority.readTicket(body.path("ticket").asText());
        if (!host.equals(ticket.path("aud").asText())) {
            return Answer.problem(403, "ticket-wrong-node", "the ticket is for " + ticket.path("aud").asText(),
                    new String[] {"signature", host, "ticket.aud", "the ticket names another node"});
        }
        int n = counter.incrementAndGet();
        String id = "lease-" + host + "-" + n;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode view = JSON.createObjectNode().put("id", id).put("slice", ticket.path("sub").asText())
                .put("node", host).put("sliver", ticket.path("sub").asText() + "-" + n)
                .put("ticket", ticket.path("jti").asText());
        view.set("resources", ticket.path("res"));
        view.put("start", now.toString()).put("end", now.plus(Duration.ofHours(1)).toString()).put("state", "active")
                .putNull("warning").put("lease", "eyJhbGciOiJFZERTQSJ9.lease-" + n + ".sig");
        leases.put(id, view);
        programs.put(id, JSON.createArrayNode());
        return Answer.json(201, view);
    }

    private Answer list(String target) {
        String slice = target.contains("?slice=") ? decode(target.substring(target.indexOf("?slice=") + 7)) : null;
        ArrayNode list = JSON.createArrayNode();
        leases.values().stream().filter(view -> slice == null || slice.equals(view.path("slice").asText()))
                .forEach(list::add);
        return Answer.json(200, list);
    }

    private Answer start(ObjectNode view, JsonNode body) {
        ObjectNode program = JSON.createObjectNode().put("pid", 4000 + counter.incrementAndGet());
        program.set("command", body.path("command"));
        program.put("stdout", "/home/" + view.path("sliver").asText() + "/stdout")
                .put("stderr", "/home/" + view.path("sliver").asText() + "/stderr")
                .put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        programs.get(view.get("id").asText()).add(program.deepCopy().put("state", "running").putNull("exitCode"));
        return Answer.json(201, program);
    }

    private Answer renew(ObjectNode view, JsonNode body) {
        Duration duration = Duration.parse(body.path("duration").asText());
        view.put("end", Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(duration).toString());
        return Answer.json(200, view);
    }

    private Answer resize(ObjectNode view, JsonNode body) {
        view.set("resources", body.path("resources"));
        return Answer.json(200, view);
    }

    private Answer release(ObjectNode view) {
        leases.remove(view.get("id").asText());
        return new Answer(204, null);
    }
}
