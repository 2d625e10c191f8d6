package dev.sliceplane.cli.commands;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.ExitCodes;
import dev.sliceplane.cli.http.ApiProblemException;
import dev.sliceplane.cli.output.Printer;
import dev.sliceplane.client.Failure;
import dev.sliceplane.client.NodeResult;
import dev.sliceplane.client.RefusedException;
import dev.sliceplane.client.ServiceManager;
import dev.sliceplane.client.SliceReport;
import dev.sliceplane.client.UnreachableException;
import dev.sliceplane.platform.api.acquisition.Reason;
import picocli.CommandLine.Option;

/**
 * A {@code slice} verb that acquires or manages slivers through the service-manager client: the
 * node named by {@code --url} is the authority (broker and agent); the slice's nodes come from
 * there. The authority's refusal or silence fails the command (exit 1 or 3); a node's is a row of
 * the output and makes the exit code 1.
 */
abstract class AcquisitionCommand extends ApiCommand {

    @Option(names = "--node-timeout", order = 100, paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "How long each request to a node may take before it counts as unreachable (default: ${DEFAULT-VALUE}).")
    Duration nodeTimeout;

    AcquisitionCommand(Environment env) {
        super(env);
    }

    @Override
    final void run() {
        try {
            act();
        } catch (RefusedException refused) {
            Failure failure = refused.failure();
            if (failure.status() == 401) {
                throw session().refused(new ApiProblemException(401, failure.type(), failure.detail()));
            }
            throw new CliException(ExitCodes.FAILED, line(failure));
        } catch (UnreachableException silent) {
            throw new CliException(ExitCodes.UNREACHABLE,
                    "cannot reach the authority at " + silent.url() + " (" + silent.why() + ")");
        }
    }

    abstract void act();

    final ServiceManager manager() {
        return ServiceManager.builder(nodeUrl())
                .httpClient(client().httpClientForAnyHost())
                .tokenSource(new SessionTokens(session()))
                .nodeTimeout(nodeTimeout)
                .build();
    }

    /** The report's JSON for scripts, or its nodes as a table for people. */
    final void print(ObjectNode json, List<NodeResult> nodes, String noNodes) {
        Printer printer = printer();
        if (printer.asJson()) {
            printer.json(json);
        } else if (nodes.isEmpty()) {
            env.out().println(noNodes);
        } else {
            env.out().print(SliceReports.TABLE.render(json.path("nodes")));
        }
    }

    /** Prints a status, renew, resize or release; exit 1 when a node failed. */
    final void report(SliceReport report) {
        ObjectNode json = object().put("slice", report.slice());
        json.set("nodes", SliceReports.nodes(json(), report.nodes()));
        print(json, report.nodes(), "no nodes hold tickets for slice " + report.slice());
        if (report.anyFailed()) {
            throw new CliException(ExitCodes.FAILED, report.failed().size() + " of " + report.nodes().size()
                    + " nodes failed");
        }
    }

    /**
     * {@code 422 no-matching-nodes: detail (reason; reason)}: the authority's refusal on one line.
     * A reason the detail already says (the decisive one, usually) is not said twice.
     */
    static String line(Failure failure) {
        List<String> others = failure.reasons().stream().map(Reason::toString)
                .filter(reason -> !reason.equals(failure.detail())).toList();
        return failure.status() + " " + failure.type() + ": " + failure.detail()
                + (others.isEmpty() ? "" : " (" + String.join("; ", others) + ")");
    }
}
