package dev.sliceplane.platform.internal.log;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies warnings and errors from the OSGi Log service to the node's log. Declarative Services,
 * Configuration Admin and other framework services report problems only there, so without this
 * a component that fails to activate would fail silently.
 */
@Component(immediate = true)
public final class LogBridge implements LogListener {

    private final LogReaderService reader;

    @Activate
    public LogBridge(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
        // Entries from before this component started, oldest first, so start-up failures show too.
        java.util.List<LogEntry> earlier = java.util.Collections.list(reader.getLog());
        java.util.Collections.reverse(earlier);
        earlier.forEach(this::logged);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        if (level != LogLevel.ERROR && level != LogLevel.WARN && level != LogLevel.AUDIT) {
            return;
        }
        String source = entry.getBundle() == null ? "osgi" : entry.getBundle().getSymbolicName();
        Logger log = LoggerFactory.getLogger(source);
        if (level == LogLevel.WARN) {
            log.warn("{}", entry.getMessage(), entry.getException());
        } else {
            log.error("{}", entry.getMessage(), entry.getException());
        }
    }
}
