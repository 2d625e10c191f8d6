package dev.sliceplane.discovery.jgroups.internal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * SIMULATION: the discovery benchmarks of {@code bench/discovery-bench.sh} over
 * {@link DiscoverySimulation}, a plain {@code main} run from the test classes. Prints one
 * {@code RESULT key=value ...} line per figure:
 * <ul>
 *   <li>{@code converge}: member 0 founds the group; then the others start at once (up to
 *       {@code sim.parallel} joining at a time) and the clock runs until every member holds every
 *       member's verified advert, ALIVE, in a group of N ({@code view_ms}: until every member's
 *       engine view holds N; {@code cpu_ms}: the JVM's CPU time meanwhile, every thread);</li>
 *   <li>{@code detect}: the last member falls silent; until no other member lists it;</li>
 *   <li>{@code steady}: bytes per member per second over {@code sim.steadySeconds} after
 *       convergence, and suspicions and false deaths meanwhile (with {@code sim.loss}, every member
 *       drops that share of what it receives).</li>
 * </ul>
 * Settings are system properties: {@code sim.members sim.transport sim.basePort sim.seed
 * sim.failureTimeout sim.verifyTimeout sim.joinTimeout sim.mergeInterval sim.advertEvery sim.loss
 * sim.sharedVerification sim.threads sim.stableGossip sim.parallel sim.scenarios sim.steadySeconds sim.timeout sim.diagnoseAfter sim.warmups sim.rounds
 * sim.progressMillis} (how often progress goes to stderr; 100 for a timeline of a join) {@code sim.clocks}:
 * {@code sim.warmups} rounds that only converge run first, in the same JVM, then {@code sim.rounds}
 * measured rounds, each a new group of new members, once per clock of {@code sim.clocks}
 * (alternating which goes first):
 * <ul>
 *   <li>{@code start}: the clock covers creating each joiner's channel (reading the stack XML,
 *       creating and initialising the protocols), connecting it (binding its ports, starting the
 *       protocols), discovery and joining;</li>
 *   <li>{@code connect}: the joiners' channels are created before the clock
 *       ({@link GroupMember#prepare()}), so it covers connecting, discovery and joining: the nearest
 *       to serf's clock, which starts with its agents running (JGroups binds a channel's sockets only
 *       as it connects, so that part is still on this clock and not on serf's).</li>
 * </ul>
 */
public final class DiscoverySimulationBench {

    private DiscoverySimulationBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("sim.members", 50);
        DiscoverySimulation.Options o = new DiscoverySimulation.Options(n, System.getProperty("sim.transport", "shared"),
                Integer.getInteger("sim.basePort", 27800), Long.getLong("sim.seed", 1), duration("sim.failureTimeout", "PT4S"),
                duration("sim.verifyTimeout", "PT1.5S"), duration("sim.joinTimeout", "PT2S"),
                duration("sim.mergeInterval", "PT5S"), duration("sim.advertEvery", "PT5S"),
                Double.parseDouble(System.getProperty("sim.loss", "0")),
                Boolean.parseBoolean(System.getProperty("sim.sharedVerification", "true")),
                Integer.getInteger("sim.threads", 4),
                System.getProperty("sim.stableGossip") == null ? null : duration("sim.stableGossip", null));
        List<String> scenarios = List.of(System.getProperty("sim.scenarios", "converge,detect").split(","));
        Duration timeout = duration("sim.timeout", "PT10M");
        int parallel = Integer.getInteger("sim.parallel", 16);
        long progressMillis = Long.getLong("sim.progressMillis", 5000);
        System.out.printf(Locale.ROOT, "# SIMULATION: %d discovery members in one JVM, transport %s, loss %.2f, "
                        + "failureTimeout %s, verifyTimeout %s, joinTimeout %s, mergeInterval %s, advertEvery %s, STABLE gossip %s, "
                        + "shared verification %s, %d joining at a time, %d CPUs%n",
                n, o.transport(), o.loss(), o.failureTimeout(), o.verifyTimeout(), o.joinTimeout(), o.mergeInterval(),
                o.advertEvery(), o.stableGossip() == null ? "as the product's" : o.stableGossip(), o.sharedVerification(),
                parallel, Runtime.getRuntime().availableProcessors());
        int warmups = Integer.getInteger("sim.warmups", 0);
        int rounds = Integer.getInteger("sim.rounds", 1);
        List<String> clocks = List.of(System.getProperty("sim.clocks", "start").split(","));
        if (!List.of("start", "connect").containsAll(clocks)) {
            throw new IllegalArgumentException("sim.clocks: start, connect or both, not " + clocks);
        }
        for (int round = 1; round <= warmups; round++) {
            // A warm-up round converges and stops: the JIT has compiled the join and verify paths before a measured round.
            run(o, List.of("converge"), timeout, parallel, progressMillis, "warmup", clocks.get(0).equals("connect"), false);
        }
        for (int round = 1; round <= rounds; round++) {
            // Every clock once per round, the first one alternating, so that both see the same minutes of load.
            for (int c = 0; c < clocks.size(); c++) {
                String clock = clocks.get((round - 1 + c) % clocks.size());
                boolean last = round == rounds && c == clocks.size() - 1;
                run(o, scenarios, timeout, parallel, progressMillis, "round" + round + " clock=" + clock,
                        clock.equals("connect"), last);
            }
        }
        System.exit(0);
    }

    /**
     * @param prepared whether the joiners' channels are created before the clock starts (clock {@code connect})
     * @param last     whether this is the JVM's last round: it then halts instead of leaving (a thousand members
     *                 leaving one view change at a time took longer than the round)
     */
    private static void run(DiscoverySimulation.Options o, List<String> scenarios, Duration timeout, int parallel,
            long progressMillis, String label, boolean prepared, boolean last) throws Exception {
        int n = o.members();
        try (DiscoverySimulation sim = new DiscoverySimulation(o)) {
            List<Integer> all = IntStream.range(0, n).boxed().toList();
            sim.start(0);
            await(timeout, () -> sim.converged(List.of(0), 1));
            if (prepared) {
                sim.prepare(1, n);
            }
            System.err.println("[sim] " + label + " starts"); // marks, for logs, what belongs to which round
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Thread starter = new Thread(() -> {
                try {
                    sim.startAll(1, n, parallel);
                } catch (Exception e) {
                    // A member that cannot start (its port taken, e.g. as another process's ephemeral port) would
                    // leave the round waiting out its timeout as if the group never formed: say so and stop.
                    e.printStackTrace();
                    System.out.println("RESULT start-failed " + label + " " + e);
                    System.out.flush();
                    Runtime.getRuntime().halt(4);
                }
            }, "sim-starter");
            starter.start();
            Thread progress = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(progressMillis);
                        System.err.printf(Locale.ROOT, "[sim] %s %.2f s: %s%n", label, (System.nanoTime() - t0) / 1e9,
                                sim.progress());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sim-progress");
            progress.setDaemon(true);
            progress.start();
            long viewAt = awaitAt(timeout, () -> all.stream().allMatch(i -> sim.members().get(i).membership().viewSize() == n));
            Duration diagnoseAfter = duration("sim.diagnoseAfter", timeout.toString());
            long diagnoseAt = t0 + diagnoseAfter.toNanos();
            boolean[] diagnosed = {false};
            long convergedAt = awaitAt(timeout, () -> {
                if (!diagnosed[0] && System.nanoTime() > diagnoseAt && !sim.converged(all, n)) {
                    // A round slow to converge is described while it stalls, in case it completes later.
                    diagnosed[0] = true;
                    System.err.println("[sim] " + label + " not converged after " + diagnoseAfter + ": "
                            + sim.missing(n) + "\n" + sim.diagnose(n));
                }
                return sim.converged(all, n);
            }, () -> {
                System.err.println(sim.diagnose(n));
                return sim.missing(n);
            });
            long cpu = processCpuNanos() - cpu0;
            starter.join();
            progress.interrupt();
            System.out.printf(Locale.ROOT, "RESULT converge %s members=%d ms=%d view_ms=%d cpu_ms=%d rejected=%d suspicions=%d dead=%d%n",
                    label, n, millis(convergedAt - t0), millis(viewAt - t0), millis(cpu), sim.rejected(), sim.suspicions(),
                    sim.declaredDead());

            if (scenarios.contains("steady")) {
                int seconds = Integer.getInteger("sim.steadySeconds", 60);
                long received0 = sim.bytesReceived();
                long sent0 = sim.bytesSent();
                long dead0 = sim.declaredDead();
                long suspicions0 = sim.suspicions();
                long s0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double elapsed = (System.nanoTime() - s0) / 1e9;
                boolean intact = sim.converged(all, n);
                System.out.printf(Locale.ROOT, "RESULT steady %s members=%d seconds=%.1f loss=%.2f recv_bytes_per_member_s=%.0f "
                                + "sent_bytes_per_member_s=%.0f false_deaths=%d suspicions=%d views_intact=%s%n",
                        label, n, elapsed, o.loss(), (sim.bytesReceived() - received0) / elapsed / n,
                        (sim.bytesSent() - sent0) / elapsed / n, sim.declaredDead() - dead0,
                        sim.suspicions() - suspicions0, intact);
            }
            if (scenarios.contains("detect")) {
                int victim = n - 1;
                String hostname = sim.members().get(victim).hostname();
                List<Integer> others = all.subList(0, victim);
                long t1 = System.nanoTime();
                sim.crash(victim);
                long goneAt = awaitAt(timeout, () -> sim.forgotten(others, hostname));
                System.out.printf(Locale.ROOT, "RESULT detect %s members=%d ms=%d victim=%s%n", label, n, millis(goneAt - t1),
                        hostname);
            }
            if (last) {
                System.err.println("[sim] " + label + " ends: the last round, the JVM halts");
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
            System.err.println("[sim] " + label + " ends: the members leave");
        }
    }

    private static long awaitAt(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return awaitAt(timeout, condition, () -> "");
    }

    /** As {@link #awaitAt(Duration, BooleanSupplier)}; on timeout also prints {@code diagnosis} (what is missing). */
    private static long awaitAt(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> diagnosis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                System.out.println("RESULT timeout after " + timeout + " " + diagnosis.get());
                System.out.flush();
                // Leaving hundreds of members one by one takes minutes: a benchmark that timed out just stops.
                Runtime.getRuntime().halt(3);
            }
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        awaitAt(timeout, condition);
    }

    /**
     * CPU time of this JVM so far (every thread: the members, the harness, JIT and GC): the work a
     * round cost, which the wall time on a shared, loaded machine hides.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static Duration duration(String property, String fallback) {
        return Duration.parse(System.getProperty(property, fallback));
    }
}
