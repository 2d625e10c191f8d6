package dev.sliceplane.vmm.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.event.EventConstants;

import dev.sliceplane.vmm.api.VmmEvent;

/** The Event Admin properties of a VMM event, as documented on {@link VmmEvent}. */
final class EventProperties {

    private EventProperties() {
    }

    static Map<String, Object> of(VmmEvent event, String backend) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(VmmEvent.PROPERTY_SLIVER, event.sliver());
        properties.put(VmmEvent.PROPERTY_MESSAGE, event.message());
        properties.put(VmmEvent.PROPERTY_BACKEND, backend);
        properties.put(EventConstants.TIMESTAMP, event.at().toEpochMilli());
        if (event.limit() != null) {
            properties.put(VmmEvent.PROPERTY_LIMIT, event.limit().name());
        }
        if (event.programId() != null) {
            properties.put(VmmEvent.PROPERTY_PROGRAM, event.programId());
        }
        if (event.exitCode() != null) {
            properties.put(VmmEvent.PROPERTY_EXIT_CODE, event.exitCode());
        }
        return properties;
    }
}
