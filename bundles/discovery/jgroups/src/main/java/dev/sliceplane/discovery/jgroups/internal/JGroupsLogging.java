package dev.sliceplane.discovery.jgroups.internal;

import java.util.Locale;

import org.jgroups.logging.CustomLogFactory;
import org.jgroups.logging.Log;
import org.jgroups.logging.LogFactory;
import org.jgroups.logging.Slf4jLogImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JGroups' logging to slf4j, like the rest of the runtime. JGroups would pick log4j 2 first
 * when it can load it and the JDK logger otherwise; its copy here is private to this bundle, so
 * setting its factory affects no one else.
 *
 * <p>JGroups' own slf4j adapter formats every message with arguments before slf4j decides whether
 * to log it; some protocols call it unguarded on hot paths (UNICAST3 formats a trace line for each
 * new connection), which a profile of 1,000 simulated members showed as ~2 % of the CPU.
 * {@link LevelCheckedLog} checks the level first.
 */
final class JGroupsLogging {

    private JGroupsLogging() {
    }

    static void toSlf4j() {
        if (LogFactory.getCustomLogFactory() == null) {
            LogFactory.setCustomLogFactory(new CustomLogFactory() {
                @Override
                public Log getLog(Class<?> clazz) {
                    return new LevelCheckedLog(LoggerFactory.getLogger(clazz));
                }

                @Override
                public Log getLog(String category) {
                    return new LevelCheckedLog(LoggerFactory.getLogger(category));
                }
            });
        }
    }

    /** JGroups' slf4j log, formatting a message only when its level is enabled. */
    static final class LevelCheckedLog extends Slf4jLogImpl {

        LevelCheckedLog(Logger logger) {
            super(Locale.getDefault(), logger);
        }

        @Override
        public void trace(String format, Object... args) {
            if (isTraceEnabled()) {
                super.trace(format, args);
            }
        }

        @Override
        public void debug(String format, Object... args) {
            if (isDebugEnabled()) {
                super.debug(format, args);
            }
        }

        @Override
        public void info(String format, Object... args) {
            if (isInfoEnabled()) {
                super.info(format, args);
            }
        }

        @Override
        public void warn(String format, Object... args) {
            if (isWarnEnabled()) {
                super.warn(format, args);
            }
        }

        @Override
        public void error(String format, Object... args) {
            if (isErrorEnabled()) {
                super.error(format, args);
            }
        }
    }
}
