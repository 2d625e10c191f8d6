package bench.karaf.consumer;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;

/**
 * Gogo command bench:mark LABEL - prints one line with a System.nanoTime()
 * stamp and the counters, then the outages and reference events recorded
 * since the previous mark. Run it right before and after bundle:update in the
 * same shell session to time the command inside Karaf. bench:pause MS sleeps.
 */
@Component(service = BenchCommands.class, immediate = true, property = {
        "osgi.command.scope=bench", "osgi.command.function=mark", "osgi.command.function=pause" })
public class BenchCommands {

    /** bench:pause MS - sleeps MS milliseconds (Gogo's sleep takes whole seconds). */
    public void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public void mark(String label) {
        long t = System.nanoTime();
        StringBuilder sb = new StringBuilder(256);
        sb.append("MARK ").append(label).append(' ').append(t)
                .append(" ok=").append(State.adder("ok").sum())
                .append(" nosvc=").append(State.adder("nosvc").sum())
                .append(" threw=").append(State.adder("threw").sum())
                .append(" act=").append(State.adder("activations").sum())
                .append(" deact=").append(State.adder("deactivations").sum())
                .append(" loaders=").append(State.loaders().size())
                .append(" bound=").append(State.ref("bound", "none").get());
        long[] g;
        while ((g = State.gaps().poll()) != null) {
            sb.append("\nGAP ").append(g[0]).append(' ').append(g[1]).append(' ').append(g[2]).append(' ')
                    .append(g[3]).append(' ').append(g[4]);
        }
        for (Map.Entry<Long, Long> e : State.open().entrySet()) {
            sb.append("\nOPEN ").append(e.getValue()).append(' ').append(e.getKey());
        }
        String ev;
        while ((ev = State.events().poll()) != null) {
            sb.append("\nEVT ").append(ev);
        }
        for (Map.Entry<String, LongAdder> e : State.errors().entrySet()) {
            sb.append("\nERR ").append(e.getKey()).append(' ').append(e.getValue().sum());
        }
        System.out.println(sb);
    }
}
