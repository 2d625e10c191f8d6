package dev.sliceplane.it.bundles.gate;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers {@link Gate} once the file {@code gate-open} exists in the node's data directory,
 * checking every 100 ms: a test decides when the service a component waits for arrives.
 */
@Component(immediate = true, service = {})
public final class GateKeeper {

    private final Thread watcher;
    private volatile ServiceRegistration<Gate> registration;

    @Activate
    public GateKeeper(BundleContext context) {
        Path open = Path.of(context.getProperty("sliceplane.data")).resolve("gate-open");
        watcher = new Thread(() -> {
            try {
                while (!Files.exists(open)) {
                    Thread.sleep(100);
                }
                registration = context.registerService(Gate.class, new Gate() { }, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-gate-keeper");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        watcher.interrupt();
        watcher.join(5000);
        ServiceRegistration<Gate> registered = registration;
        if (registered != null) {
            registered.unregister();
        }
    }
}
