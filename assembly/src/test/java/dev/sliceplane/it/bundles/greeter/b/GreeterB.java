package dev.sliceplane.it.bundles.greeter.b;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import dev.sliceplane.it.bundles.greeter.api.Greeter;
import dev.sliceplane.platform.api.swap.SubServiceImplementation;

/** Greeter implementation "b"; fails calls after deactivation, as a real service would. */
@Component(service = Greeter.class)
@SubServiceImplementation(value = "greeter", api = "dev.sliceplane.it.bundles.greeter.api.Greeter")
public final class GreeterB implements Greeter {

    /** Activations of this implementation in this bundle's life, to tell churn from stale calls. */
    private static final java.util.concurrent.atomic.AtomicInteger ACTIVATIONS = new java.util.concurrent.atomic.AtomicInteger();

    private volatile boolean active;
    private volatile int activation;

    @Activate
    void activate(Map<String, Object> properties) {
        activation = ACTIVATIONS.incrementAndGet();
        active = true;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        // A ranking change updates the registration in place; nothing else to do.
    }

    @Deactivate
    void deactivate() {
        active = false;
    }

    @Override
    public String greet(String name) {
        if (!active) {
            throw new IllegalStateException("greeter b (activation " + activation + " of " + ACTIVATIONS.get()
                    + ") is deactivated");
        }
        return "b:" + name;
    }
}
