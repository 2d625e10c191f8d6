package dev.sliceplane.platform.internal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.sliceplane.platform.api.health.HealthCheck;
import dev.sliceplane.platform.api.health.HealthResult;
import dev.sliceplane.platform.api.health.HealthStatus;
import dev.sliceplane.platform.api.health.NodeHealth;
import dev.sliceplane.platform.api.slice.ManagementSlice;

/**
 * Runs every {@link HealthCheck} service on the platform slice at its own interval, with a
 * deadline, and keeps the latest result of each. Requests to {@code /api/v1/health} read these
 * results and never run a check themselves, so a slow check cannot slow the endpoint.
 *
 * <p>A check's reported state changes only after {@code consecutive} equal results in a row (the
 * service property {@link HealthCheck#CONSECUTIVE} or this component's setting), so a flapping
 * check does not flap the node; a run that throws or overruns its deadline is a DOWN result like
 * any other. The first result after a check starts is reported at once.
 *
 * <p>While the framework is still starting bundles, or stopping them, the report has an entry
 * {@value #FRAMEWORK} of its own, STARTING or DOWN: a bundle not started yet has registered no
 * check, so the others being UP would not mean the node is.
 */
@Component(service = {HealthAggregator.class, NodeHealth.class}, immediate = true, configurationPid = "dev.sliceplane.health")
@Designate(ocd = HealthAggregator.Config.class)
public final class HealthAggregator implements NodeHealth {

    @ObjectClassDefinition(name = "Sliceplane health", description = "How health checks are run.")
    public @interface Config {
        @AttributeDefinition(description = "Default interval between runs of a check, in seconds.")
        long intervalSeconds() default 5;

        @AttributeDefinition(description = "Deadline of one run of a check, in milliseconds; overrunning it counts as DOWN.")
        long timeoutMillis() default 2000;

        @AttributeDefinition(description = "How many equal results in a row change a check's reported state "
                + "(at least 1); a check's service property sliceplane.health.consecutive overrides it.")
        int consecutive() default 3;
    }

    /**
     * The state of one check, as reported at {@code /api/v1/health}.
     *
     * @param status         the reported state (changes only after {@code consecutive} equal results)
     * @param message        the message of the reported result
     * @param checkedAt      when the latest run ended, {@code null} before the first
     * @param durationMicros how long the latest run took
     * @param pending        while a change is pending: the latest raw result and how many in a row; else {@code null}
     * @param consecutive    how many equal results in a row change this check's state
     */
    public record CheckState(String name, HealthStatus status, String message, Instant checkedAt, long durationMicros,
            Pending pending, int consecutive) {
    }

    /**
     * A change of state that has not happened yet.
     *
     * @param status  the latest raw result's state
     * @param message its message
     * @param inARow  how many results in a row have had this state
     */
    public record Pending(HealthStatus status, String message, int inARow) {
    }

    /** The node's health: the worst of all checks, and each check. */
    public record Report(HealthStatus status, List<CheckState> checks) {
    }

    /**
     * How often the schedule looks at a check: one not UP yet runs at every tick, an UP one at its
     * interval. For its first {@link #STARTING_WINDOW}, until its first UP, a check ticks at
     * {@link #STARTING_TICK}, so a booting node is ready within milliseconds of its last check.
     */
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration STARTING_TICK = Duration.ofMillis(20);
    private static final Duration STARTING_WINDOW = Duration.ofSeconds(30);

    /** The name of the report's entry for the framework while it starts or stops bundles. */
    static final String FRAMEWORK = "framework";

    private final ManagementSlice slice;
    private final Config config;
    private final Map<ServiceReference<HealthCheck>, RunningCheck> checks = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    /** The system bundle's state: STARTING until every bundle has started, STOPPING at shutdown. */
    private final IntSupplier frameworkState;
    private volatile boolean active = true;

    @Activate
    public HealthAggregator(@Reference ManagementSlice slice, Config config, BundleContext context) {
        this(slice, config, System::nanoTime, () -> context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState());
    }

    /** For tests: a framework that has started. */
    HealthAggregator(ManagementSlice slice, Config config) {
        this(slice, config, System::nanoTime);
    }

    /** For tests: with a clock for the schedule's decisions, so tests can step through intervals. */
    HealthAggregator(ManagementSlice slice, Config config, LongSupplier nanoClock) {
        this(slice, config, nanoClock, () -> Bundle.ACTIVE);
    }

    HealthAggregator(ManagementSlice slice, Config config, LongSupplier nanoClock, IntSupplier frameworkState) {
        this.slice = slice;
        this.config = config;
        this.nanoClock = nanoClock;
        this.frameworkState = frameworkState;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCheck(HealthCheck check, ServiceReference<HealthCheck> ref) {
        RunningCheck running = new RunningCheck(nameOf(ref, check), check, intervalOf(ref), consecutiveOf(ref));
        checks.put(ref, running);
        if (active) {
            running.start();
        }
    }

    void removeCheck(ServiceReference<HealthCheck> ref) {
        RunningCheck running = checks.remove(ref);
        if (running != null) {
            running.stop();
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        checks.values().forEach(RunningCheck::stop);
    }

    /** The current report; STARTING until every bundle has started and every check has completed one run. */
    public Report report() {
        List<CheckState> states = Stream.concat(frameworkEntry().stream(), checks.values().stream().map(RunningCheck::state))
                .sorted(Comparator.comparing(CheckState::name))
                .toList();
        HealthStatus overall = HealthStatus.UP;
        for (CheckState state : states) {
            overall = overall.worse(state.status());
        }
        return new Report(overall, states);
    }

    @Override
    public HealthStatus status() {
        return report().status();
    }

    /** An entry while the framework is not simply running; none once every bundle has started. */
    private Optional<CheckState> frameworkEntry() {
        int state = frameworkState.getAsInt();
        if (state == Bundle.ACTIVE) {
            return Optional.empty();
        }
        boolean starting = state == Bundle.STARTING;
        return Optional.of(new CheckState(FRAMEWORK, starting ? HealthStatus.STARTING : HealthStatus.DOWN,
                starting ? "bundles are still starting" : "the framework is stopping", Instant.now(), 0, null, 1));
    }

    Duration intervalOf(ServiceReference<?> ref) {
        Object value = ref.getProperty(HealthCheck.INTERVAL_SECONDS);
        long seconds = config.intervalSeconds();
        if (value instanceof Number n) {
            seconds = n.longValue();
        } else if (value instanceof String s) {
            try {
                seconds = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // keep the default: a bad property should not disable the check
            }
        }
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    int consecutiveOf(ServiceReference<?> ref) {
        Object value = ref.getProperty(HealthCheck.CONSECUTIVE);
        int required = config.consecutive();
        if (value instanceof Number n) {
            required = n.intValue();
        } else if (value instanceof String s) {
            try {
                required = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // keep the default: a bad property should not make the check jumpy
            }
        }
        return Math.max(1, required);
    }

    private static String nameOf(ServiceReference<?> ref, Object check) {
        for (String key : new String[] {HealthCheck.NAME, ComponentConstants.COMPONENT_NAME, Constants.SERVICE_PID}) {
            if (ref.getProperty(key) instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return check.getClass().getName();
    }

    /** One check's schedule and latest result. */
    private final class RunningCheck {
        private final String name;
        private final HealthCheck check;
        private final Duration interval;
        /** Guarded by itself: results may complete on several threads (a late run, a deadline). */
        private final ConsecutiveResults results;
        private volatile CheckState state;
        private final AtomicBoolean inFlight = new AtomicBoolean();
        private volatile boolean everUp;
        private volatile long lastStartNanos;
        /** Guarded by this check; {@code null} once stopped. */
        private ScheduledFuture<?> schedule;
        private boolean stopped;
        /** Whether it still ticks at {@link #STARTING_TICK}; only the ticks read and write it. */
        private boolean starting = true;
        private long startedNanos;

        RunningCheck(String name, HealthCheck check, Duration interval, int consecutive) {
            this.name = name;
            this.check = check;
            this.interval = interval;
            this.results = new ConsecutiveResults(consecutive);
            this.state = new CheckState(name, HealthStatus.STARTING, "not run yet", null, 0, null, consecutive);
        }

        void start() {
            startedNanos = nanoClock.getAsLong();
            tickEvery(STARTING_TICK, Duration.ZERO);
        }

        private void tick() {
            long now = nanoClock.getAsLong();
            if (!everUp || now - lastStartNanos >= interval.toNanos()) {
                runOnce();
            }
            if (starting && (everUp || now - startedNanos >= STARTING_WINDOW.toNanos())) {
                starting = false;
                tickEvery(TICK, TICK);
            }
        }

        /** Replaces the schedule; the tick never runs more often than the interval. */
        private synchronized void tickEvery(Duration tick, Duration firstDelay) {
            if (stopped) {
                return;
            }
            ScheduledFuture<?> old = schedule;
            schedule = slice.scheduleAtFixedRate(this::tick, firstDelay, tick.compareTo(interval) < 0 ? tick : interval);
            if (old != null) {
                old.cancel(false);
            }
        }

        synchronized void stop() {
            stopped = true;
            if (schedule != null) {
                schedule.cancel(false);
                schedule = null;
            }
        }

        CheckState state() {
            return state;
        }

        /**
         * Starts one run unless the previous one is still going, and records its result when it
         * completes or when the deadline passes, whichever is first. A run that overruns the
         * deadline is reported DOWN at once but keeps its place until it really ends, so a hung
         * check holds one thread, not one more each interval. Nothing here blocks a thread.
         */
        private void runOnce() {
            if (!inFlight.compareAndSet(false, true)) {
                return;
            }
            long start = System.nanoTime();
            lastStartNanos = nanoClock.getAsLong();
            CompletableFuture<HealthResult> run;
            try {
                run = CompletableFuture.supplyAsync(this::call, slice.executor());
            } catch (RejectedExecutionException e) {
                inFlight.set(false);
                record(HealthResult.down("the check could not be scheduled: " + e.getMessage()), start);
                return;
            }
            run.whenComplete((result, failure) -> inFlight.set(false));
            run.copy()
                    .orTimeout(config.timeoutMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((result, failure) -> record(failure == null ? result : failed(failure), start));
        }

        private void record(HealthResult outcome, long startNanos) {
            long micros = (System.nanoTime() - startNanos) / 1000;
            synchronized (results) {
                ConsecutiveResults.Judgement judged = results.offer(outcome);
                HealthResult reported = judged.reported();
                HealthResult raw = judged.pending();
                everUp |= reported.status() == HealthStatus.UP;
                state = new CheckState(name, reported.status(), reported.message(), Instant.now(), micros,
                        raw == null ? null : new Pending(raw.status(), raw.message(), judged.inARow()),
                        results.required());
            }
        }

        private HealthResult failed(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                return HealthResult.down("no result within " + config.timeoutMillis() + " ms");
            }
            return HealthResult.down("the check failed: " + cause);
        }

        private HealthResult call() {
            try {
                HealthResult result = check.check();
                return result != null ? result : HealthResult.down("the check returned no result");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }
    }
}
