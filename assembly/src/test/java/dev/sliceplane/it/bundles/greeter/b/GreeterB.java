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

    private volatile boolean active;

    @Activate
    void activate(Map<String, Object> properties) {
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
            throw new IllegalStateException("greeter b is deactivated");
        }
        return "b:" + name;
    }
}
