package dev.sliceplane.discovery.jgroups.internal;

import org.jgroups.logging.CustomLogFactory;
import org.jgroups.logging.Log;
import org.jgroups.logging.LogFactory;
import org.jgroups.logging.Slf4jLogImpl;

/**
 * Sends JGroups' logging to slf4j, like the rest of the runtime. JGroups would pick log4j 2 first
 * when it can load it and the JDK logger otherwise; its copy here is private to this bundle, so
 * setting its factory affects no one else.
 */
final class JGroupsLogging {

    private JGroupsLogging() {
    }

    static void toSlf4j() {
        if (LogFactory.getCustomLogFactory() == null) {
            LogFactory.setCustomLogFactory(new CustomLogFactory() {
                @Override
                public Log getLog(Class<?> clazz) {
                    return new Slf4jLogImpl(clazz);
                }

                @Override
                public Log getLog(String category) {
                    return new Slf4jLogImpl(category);
                }
            });
        }
    }
}
