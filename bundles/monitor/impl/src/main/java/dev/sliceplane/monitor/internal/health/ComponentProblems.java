package dev.sliceplane.monitor.internal.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.sliceplane.platform.api.health.HealthResult;

/**
 * The judgement of the {@code references} check, on plain views of the component runtime so it is
 * testable without a framework.
 *
 * <p>Several management components wait, by design, for a service that only some roles provide:
 * the agent needs the authority-only {@code AgentCertifier} and {@code NodeDirectory}, so it stays
 * unsatisfied on a joined node; the reporter needs a {@code NodeSigner}, absent until the node has
 * a credential. Such a component is not a fault. The rule, then: an enabled component of a
 * management bundle is a problem when
 * <ol>
 * <li>its activation failed, or</li>
 * <li>it waits on a mandatory reference although a service of that interface is registered (a
 *     target filter shuts it out, or binding fails), or</li>
 * <li>it waits on a mandatory reference after having been satisfied earlier in this process (it
 *     lost a dependency that this node does have).</li>
 * </ol>
 * A component waiting for an interface that nothing in the framework registers and that it never
 * had is taken to be waiting for a role this process does not play.
 */
final class ComponentProblems {

    /** A component configuration's state, as {@code ComponentConfigurationDTO} has it. */
    enum State { ACTIVE, SATISFIED, UNSATISFIED_REFERENCE, UNSATISFIED_CONFIGURATION, FAILED_ACTIVATION }

    /**
     * One enabled component configuration of a management bundle.
     *
     * @param name        the component's name
     * @param bundle      its bundle's symbolic name
     * @param state       its state
     * @param unsatisfied its unsatisfied mandatory references
     * @param failure     why its activation failed, or {@code null}
     */
    record Component(String name, String bundle, State state, List<Reference> unsatisfied, String failure) {

        Component {
            unsatisfied = List.copyOf(unsatisfied);
        }

        boolean satisfied() {
            return state == State.ACTIVE || state == State.SATISFIED;
        }
    }

    /**
     * An unsatisfied reference.
     *
     * @param name       the reference's name
     * @param service    its interface
     * @param registered whether any service of that interface is registered in the framework
     */
    record Reference(String name, String service, boolean registered) {
    }

    private ComponentProblems() {
    }

    /**
     * @param components    every enabled component configuration of the management bundles
     * @param everSatisfied names of components seen satisfied before (the caller adds this call's)
     */
    static HealthResult judge(List<Component> components, Set<String> everSatisfied) {
        List<String> problems = new ArrayList<>();
        int waitingForRole = 0;
        for (Component component : components) {
            String who = component.name() + " (" + component.bundle() + ")";
            if (component.state() == State.FAILED_ACTIVATION) {
                problems.add(who + " failed to activate" + (component.failure() == null ? ""
                        : ": " + component.failure().lines().findFirst().orElse("")));
            } else if (component.state() == State.UNSATISFIED_REFERENCE) {
                boolean lost = everSatisfied.contains(component.name());
                List<String> blocking = component.unsatisfied().stream()
                        .filter(reference -> lost || reference.registered())
                        .map(reference -> reference.name() + " (" + reference.service()
                                + (reference.registered() ? ", registered but not bound" : ", gone") + ")")
                        .toList();
                if (blocking.isEmpty()) {
                    waitingForRole++;
                } else {
                    problems.add(who + " is unsatisfied: " + String.join(", ", blocking));
                }
            }
        }
        if (!problems.isEmpty()) {
            return HealthResult.warn(String.join("; ", problems));
        }
        return HealthResult.up(components.size() + " management components; " + waitingForRole
                + " waiting for services of a role this process does not play");
    }
}
