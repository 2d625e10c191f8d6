package dev.sliceplane.it.bundles.slowconfig;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Lines up, for the next swap to greeter a, the moment a swap used to lose its ranking-up.
 *
 * <p>The component runtime (Felix SCR) handles a configuration event on Configuration Admin's
 * event thread by reading the configuration's properties, which passes them through the plugins,
 * and then its change count. This bundle first keeps that thread busy with an event of its own,
 * so that an event about greeter a waits behind it; lets it go once the swap starts greeter a's
 * bundle (the component runtime then reads greeter a's configuration on the swapping thread);
 * and holds the event thread's first read of that configuration for half a second, during which
 * the swap goes on and may change the configuration again.
 */
@Component(immediate = true, service = {ConfigurationPlugin.class, ConfigurationListener.class})
public final class SlowConfigurationRead implements ConfigurationPlugin, ConfigurationListener {

    static final String GREETER_A = "dev.sliceplane.it.bundles.greeter.a.GreeterA";
    private static final String OWN_EVENT = "it.slowconfig.busy";

    private final CountDownLatch greeterStarting = new CountDownLatch(1);
    private final CountDownLatch eventThreadReading = new CountDownLatch(1);
    private final AtomicBoolean held = new AtomicBoolean();

    @Activate
    public SlowConfigurationRead(@Reference ConfigurationAdmin admin) {
        // Later, so that this component's services are registered when the event is sent.
        Thread sender = new Thread(() -> {
            try {
                Thread.sleep(200);
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("sent", System.nanoTime());
                admin.getConfiguration(OWN_EVENT, "?").update(props);
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-slowconfig");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (OWN_EVENT.equals(event.getPid())) {
            await(greeterStarting, 10_000);
        }
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (!GREETER_A.equals(properties.get(Constants.SERVICE_PID))) {
            return;
        }
        // Felix Configuration Admin names its event thread after the task it runs, after this prefix.
        if (Thread.currentThread().getName().startsWith("CM Event Dispatcher")) {
            if (held.compareAndSet(false, true)) {
                eventThreadReading.countDown();
                sleep(500);
            }
        } else if (greeterStarting.getCount() > 0) {
            greeterStarting.countDown();
            await(eventThreadReading, 2_000);
        }
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
