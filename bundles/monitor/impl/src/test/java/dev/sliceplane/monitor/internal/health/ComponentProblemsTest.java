package dev.sliceplane.monitor.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sliceplane.monitor.internal.health.ComponentProblems.Component;
import dev.sliceplane.monitor.internal.health.ComponentProblems.Reference;
import dev.sliceplane.monitor.internal.health.ComponentProblems.State;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;

class ComponentProblemsTest {

    private static final Component ACTIVE = new Component("dev.sliceplane.x.Active", "dev.sliceplane.x", State.ACTIVE,
            List.of(), null);
    /** The agent on a joined node: the authority-only services are nowhere in the framework. */
    private static final Component AGENT = new Component("dev.sliceplane.agent.internal.agent.AgentComponent",
            "dev.sliceplane.agent", State.UNSATISFIED_REFERENCE,
            List.of(new Reference("AgentCertifier", "dev.sliceplane.platform.api.acquisition.AgentCertifier", false),
                    new Reference("NodeDirectory", "dev.sliceplane.platform.api.acquisition.NodeDirectory", false)),
            null);
    /** The reporter before the node holds a credential. */
    private static final Component REPORTER = new Component("dev.sliceplane.monitor.internal.report.ReporterComponent",
            "dev.sliceplane.monitor", State.UNSATISFIED_REFERENCE,
            List.of(new Reference("NodeSigner", "dev.sliceplane.platform.api.acquisition.NodeSigner", false)), null);

    @Test
    void componentsWaitingForAnotherRolesServicesAreNoProblem() {
        HealthResult result = ComponentProblems.judge(List.of(ACTIVE, AGENT, REPORTER), Set.of());
        assertEquals(HealthStatus.UP, result.status());
        assertEquals("3 management components; 2 waiting for services of a role this process does not play",
                result.message());
    }

    @Test
    void aRegisteredServiceThatIsNotBoundIsAProblem() {
        Component filtered = new Component("dev.sliceplane.y.Filtered", "dev.sliceplane.y", State.UNSATISFIED_REFERENCE,
                List.of(new Reference("ledger", "dev.sliceplane.platform.api.acquisition.LeaseLedger", true)), null);
        HealthResult result = ComponentProblems.judge(List.of(ACTIVE, AGENT, filtered), Set.of());
        assertEquals(HealthResult.warn("dev.sliceplane.y.Filtered (dev.sliceplane.y) is unsatisfied: ledger "
                + "(dev.sliceplane.platform.api.acquisition.LeaseLedger, registered but not bound)"), result);
    }

    @Test
    void aComponentThatLostAReferenceItOnceHadIsAProblem() {
        HealthResult result = ComponentProblems.judge(List.of(REPORTER), Set.of(REPORTER.name()));
        assertEquals(HealthStatus.WARN, result.status());
        assertTrue(result.message().contains("ReporterComponent (dev.sliceplane.monitor) is unsatisfied: NodeSigner "
                + "(dev.sliceplane.platform.api.acquisition.NodeSigner, gone)"), result.message());
    }

    @Test
    void aFailedActivationIsAProblemWithItsFirstLine() {
        Component failed = new Component("dev.sliceplane.z.Broken", "dev.sliceplane.z", State.FAILED_ACTIVATION,
                List.of(), "java.lang.IllegalArgumentException: interval must be positive\n\tat ...");
        HealthResult result = ComponentProblems.judge(List.of(failed, ACTIVE), Set.of());
        assertEquals(HealthResult.warn("dev.sliceplane.z.Broken (dev.sliceplane.z) failed to activate: "
                + "java.lang.IllegalArgumentException: interval must be positive"), result);
    }
}
