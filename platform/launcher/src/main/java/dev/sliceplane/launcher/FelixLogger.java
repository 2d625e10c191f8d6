package dev.sliceplane.launcher;

import org.apache.felix.framework.Logger;

/**
 * Felix's own log, passed as {@code felix.log.logger}: its default prints stack traces to
 * stdout, where the operator expects the banner and nothing else.
 */
final class FelixLogger extends Logger {

    private final ProblemReporter problems;

    FelixLogger(ProblemReporter problems) {
        this.problems = problems;
    }

    @Override
    protected void doLog(int level, String message, Throwable failure) {
        problems.log(level, message, failure);
    }
}
