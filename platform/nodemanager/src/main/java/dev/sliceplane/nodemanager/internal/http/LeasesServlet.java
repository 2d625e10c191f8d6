package dev.sliceplane.nodemanager.internal.http;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.sliceplane.nodemanager.internal.Denials;
import dev.sliceplane.nodemanager.internal.Lease;
import dev.sliceplane.nodemanager.internal.NodeManager;
import dev.sliceplane.nodemanager.internal.ResourcesJson;
import dev.sliceplane.nodemanager.internal.StorageException;
import dev.sliceplane.platform.api.acquisition.DeniedException;
import dev.sliceplane.platform.api.acquisition.Resources;
import dev.sliceplane.platform.api.http.ApiPaths;
import dev.sliceplane.platform.api.http.ApiServlet;
import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.security.Allow;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.vmm.api.ProgramInfo;
import dev.sliceplane.vmm.api.ProgramSpec;
import dev.sliceplane.vmm.api.VmmException;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The node manager's routes, {@code /api/v1/leases}:
 * <pre>
 * POST   /leases                  {"ticket"}             redeem → 201 lease view, Location
 * GET    /leases[?slice=]                                the leases the caller may see
 * GET    /leases/{id}                                    one lease
 * PATCH  /leases/{id}             {"resources"}          resize in place
 * DELETE /leases/{id}                                    release → 204
 * POST   /leases/{id}/renew       {"duration":"PT1H"}    renew
 * POST   /leases/{id}/programs    {"command",..}         launch → 201
 * GET    /leases/{id}/programs                           programs with state and exit code
 * </pre>
 * Every authenticated caller may call them; who may act on which slice (members, the site's
 * PIs, admins) is the node manager's check. Refusals are the contract's problems with reasons.
 *
 * <p>The routes are served whether or not the node manager runs (it waits for the node's
 * credential and the other acquisition services), so the node's endpoint check stays green and
 * a client learns why: 503 {@code nodemanager-unavailable} until it does.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({LeasesServlet.PATH, LeasesServlet.PATH + "/*"})
public final class LeasesServlet extends ApiServlet {

    static final String PATH = ApiPaths.PREFIX + "/leases";
    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile NodeManager running;

    public LeasesServlet() {
    }

    /** For tests: a servlet bound to {@code manager}. */
    public LeasesServlet(NodeManager manager) {
        this.running = manager;
    }

    /** {@code POST /leases} body. */
    record RedeemRequest(String ticket) {
    }

    /** {@code POST /leases/{id}/renew} body. */
    record RenewRequest(String duration) {
    }

    /** {@code PATCH /leases/{id}} body. */
    record ResizeRequest(ResourcesBody resources) {
    }

    /** A {@code res} object in a request; boxed so a missing member is told apart from 0. */
    record ResourcesBody(Double cpu, Long memory, Integer processes, Long disk) {
    }

    /** {@code POST /leases/{id}/programs} body. */
    record ProgramRequest(List<String> command, Map<String, String> environment, String workingDirectory) {
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(manager -> {
            Caller caller = Caller.of(req);
            String[] path = path(req);
            if (path.length == 0) {
                List<Lease> leases = manager.list(caller, req.getParameter("slice"));
                writeJson(resp, 200, leases.stream().map(manager::view).toList());
            } else if (path.length == 1) {
                writeJson(resp, 200, manager.view(manager.get(path[0], caller)));
            } else if (path.length == 2 && path[1].equals("programs")) {
                writeJson(resp, 200, manager.programs(path[0], caller).stream().map(LeasesServlet::program).toList());
            } else {
                throw notFound(req);
            }
        });
    }

    @Override
    @Allow
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(manager -> {
            Caller caller = Caller.of(req);
            String[] path = path(req);
            if (path.length == 0) {
                RedeemRequest body = readJson(req, RedeemRequest.class);
                Lease lease = manager.redeem(body.ticket(), caller);
                resp.setHeader("Location", PATH + "/" + lease.id());
                writeJson(resp, 201, manager.view(lease));
            } else if (path.length == 2 && path[1].equals("renew")) {
                RenewRequest body = readJson(req, RenewRequest.class);
                writeJson(resp, 200, manager.view(manager.renew(path[0], duration(body.duration(), manager), caller)));
            } else if (path.length == 2 && path[1].equals("programs")) {
                ProgramRequest body = readJson(req, ProgramRequest.class);
                ProgramSpec spec;
                try {
                    spec = new ProgramSpec(body.command(), body.environment(), body.workingDirectory());
                } catch (VmmException e) {
                    throw Denials.invalid(manager.hostname(), "program.command", e.getMessage());
                } catch (NullPointerException e) {
                    throw Denials.invalid(manager.hostname(), "program.command",
                            "command, environment and workingDirectory must not hold nulls");
                }
                ProgramInfo started = manager.launch(path[0], spec, caller);
                writeJson(resp, 201, program(started));
            } else {
                throw notFound(req);
            }
        });
    }

    @Override
    @Allow
    protected void doPatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(manager -> {
            String[] path = path(req);
            if (path.length != 1) {
                throw notFound(req);
            }
            ResizeRequest body = readJson(req, ResizeRequest.class);
            writeJson(resp, 200, manager.view(manager.resize(path[0], resources(body.resources(), manager), Caller.of(req))));
        });
    }

    @Override
    @Allow
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        answer(manager -> {
            String[] path = path(req);
            if (path.length != 1) {
                throw notFound(req);
            }
            manager.release(path[0], Caller.of(req));
            resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
        });
    }

    private interface Handler {
        void handle(NodeManager manager) throws IOException;
    }

    private NodeManager current() {
        NodeManager bound = running;
        if (bound == null) {
            throw new ProblemException(Problem.of(503, "nodemanager-unavailable", "Node manager unavailable",
                    "the node manager is not running: it waits for this node's credential and the authority's keys "
                            + "and slices (the accounts bundle), and for the VMM; the node log says more"));
        }
        return bound;
    }

    /** Runs a handler, answering the node manager's refusals and failures as problems. */
    private void answer(Handler handler) throws IOException {
        try {
            handler.handle(current());
        } catch (DeniedException e) {
            throw new ProblemException(DenialProblems.of(e));
        } catch (StorageException e) {
            throw new ProblemException(Problem.of(503, "journal-unavailable", "Journal unavailable", e.getMessage()));
        } catch (VmmException e) {
            throw new ProblemException(Problem.of(503, "vmm-failure", "VMM failure",
                    "the node's VMM failed (" + e.reason() + "): " + e.getMessage()));
        }
    }

    private static Duration duration(String text, NodeManager manager) {
        try {
            return Duration.parse(text == null ? "" : text.strip());
        } catch (DateTimeParseException e) {
            throw Denials.invalid(manager.hostname(), "renew.duration", "duration must be an ISO-8601 duration such as PT1H, not '"
                    + text + "'");
        }
    }

    private static Resources resources(ResourcesBody body, NodeManager manager) {
        if (body == null || body.cpu() == null || body.memory() == null || body.processes() == null || body.disk() == null) {
            throw Denials.invalid(manager.hostname(), "resize.resources", "resources must give cpu, memory, processes and disk");
        }
        try {
            return new Resources(body.cpu(), body.memory(), body.processes(), body.disk());
        } catch (IllegalArgumentException e) {
            throw Denials.invalid(manager.hostname(), "resize.resources", e.getMessage());
        }
    }

    private static Map<String, Object> program(ProgramInfo program) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", program.id());
        view.put("pid", program.pid());
        view.put("command", program.command());
        view.put("stdout", program.stdout() == null ? null : program.stdout().toString());
        view.put("stderr", program.stderr() == null ? null : program.stderr().toString());
        view.put("started", program.started());
        view.put("state", program.running() ? "running" : "exited");
        view.put("exitCode", program.exitCode());
        return view;
    }

    private static String[] path(HttpServletRequest req) {
        String sub = subPath(req);
        return sub.isEmpty() ? new String[0] : sub.split("/");
    }

    private static ProblemException notFound(HttpServletRequest req) {
        return new ProblemException(Problem.notFound("no node-manager resource at " + req.getRequestURI()));
    }
}
