package dev.sliceplane.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sliceplane.client.Lease;
import dev.sliceplane.client.Program;
import dev.sliceplane.client.ProgramSpec;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * The node manager's lease routes ({@code /api/v1/leases...}) on any node, one call each. Every
 * call waits at most the per-node timeout and answers an {@link Attempt}, never an exception, so
 * one node's failure stays that node's.
 */
public final class NodeManagers {

    private final JsonHttp http;
    private final Views views;
    private final Duration timeout;

    public NodeManagers(JsonHttp http, Duration timeout) {
        this.http = http;
        this.views = new Views(http.json());
        this.timeout = timeout;
    }

    /** {@code POST /api/v1/leases {"ticket"}} → the lease granted. */
    public Attempt<Lease> redeem(URI node, String ticket) {
        return Attempt.read(http.send("POST", node, Paths.LEASES, views.redeem(ticket), timeout), Views::lease, "lease");
    }

    /** {@code POST /api/v1/leases/{id}/programs} → the program started. */
    public Attempt<Program> start(URI node, String leaseId, ProgramSpec spec) {
        return Attempt.read(http.send("POST", node, Paths.programs(leaseId), views.program(spec), timeout),
                Views::program, "pid");
    }

    /** {@code GET /api/v1/leases?slice=} → the slice's leases there (only the slice's, whatever the node sends). */
    public Attempt<List<Lease>> leases(URI node, String slice) {
        return Attempt.read(http.send("GET", node, Paths.leasesOf(slice), null, timeout), answer -> {
            if (!Views.isList(answer, "leases")) {
                return null;
            }
            List<Lease> leases = new ArrayList<>();
            for (JsonNode element : Views.list(answer, "leases")) {
                Lease lease = Views.lease(element);
                if (lease != null && (lease.slice() == null || lease.slice().equals(slice))) {
                    leases.add(lease);
                }
            }
            return leases;
        }, "list of leases");
    }

    /** {@code GET /api/v1/leases/{id}/programs} → the sliver's programs. */
    public Attempt<List<Program>> programs(URI node, String leaseId) {
        return Attempt.read(http.send("GET", node, Paths.programs(leaseId), null, timeout), answer -> {
            if (!Views.isList(answer, "programs")) {
                return null;
            }
            return Views.list(answer, "programs").stream().map(Views::program).filter(Objects::nonNull).toList();
        }, "list of programs");
    }

    /** {@code POST /api/v1/leases/{id}/renew {"duration"}} → the lease with its new end. */
    public Attempt<Lease> renew(URI node, String leaseId, Duration duration) {
        return Attempt.read(http.send("POST", node, Paths.renew(leaseId), views.renewal(duration), timeout),
                Views::lease, "lease");
    }

    /** {@code PATCH /api/v1/leases/{id} {"resources"}} → the lease with its new resources. */
    public Attempt<Lease> resize(URI node, String leaseId, Resources resources) {
        return Attempt.read(http.send("PATCH", node, Paths.lease(leaseId), views.resize(resources), timeout),
                Views::lease, "lease");
    }

    /** {@code DELETE /api/v1/leases/{id}}: the sliver is destroyed. */
    public Attempt<Boolean> release(URI node, String leaseId) {
        Reply reply = http.send("DELETE", node, Paths.lease(leaseId), null, timeout);
        return reply.ok() ? Attempt.of(true) : Attempt.failed(reply.failure());
    }
}
