package dev.sliceplane.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A small network of Linux network namespaces for tests that cut links between processes: each
 * host is a namespace with one address, all plugged into one bridge (in a namespace of its own),
 * and this test process reaches every host through a veth pair into that bridge. One flat subnet,
 * so nothing is routed or forwarded and the machine's own network is not touched beyond that one
 * link. {@link #cut} blackholes the addresses of one side in every namespace of the other (both
 * ways), {@link #heal} takes the routes out again; the test process keeps reaching both sides.
 * {@link #close} deletes every namespace, which removes the bridge and all veths with it. Needs
 * root, {@code ip} (iproute2) and {@code nsenter} (util-linux); {@link #assumeAvailable} skips a
 * test without them.
 */
public final class NetworkLab implements AutoCloseable {

    /** One host: the namespace a process runs in and its address there. */
    public record Host(String namespace, String address) {
    }

    /** Namespaces and the root-side veth of this test JVM are named after its pid (interface names: 15 characters at most). */
    private static final String PREFIX = "slp" + ProcessHandle.current().pid();
    private static final Pattern OURS = Pattern.compile("^slp(\\d+)-\\S+");
    private static final String SUBNET_BASE = "10.217.";

    private final String subnet;
    private final String bridgeNamespace = PREFIX + "-switch";
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    /** Blackhole routes in place: each is a namespace and the address it may not reach. */
    private final List<String[]> blackholes = new ArrayList<>();

    private NetworkLab(String subnet) {
        this.subnet = subnet;
    }

    /**
     * Skips the calling test unless this process can make network namespaces (root, iproute2,
     * nsenter); under CI=true, which runs as root and where {@code .ci/run} installs the tools,
     * their absence is a failure instead, so the partition test never goes quietly missing.
     */
    public static void assumeAvailable() {
        String missing = null;
        if (!isRoot()) {
            missing = "network namespaces need root; run as root (CI does) to test partitions";
        } else if (!Files.isExecutable(Path.of("/usr/bin/nsenter")) && !Files.isExecutable(Path.of("/bin/nsenter"))) {
            missing = "nsenter (util-linux) is not installed";
        } else {
            String probe = PREFIX + "-probe";
            boolean made = run(List.of("ip", "netns", "add", probe)) == 0;
            run(List.of("ip", "netns", "del", probe));
            if (!made) {
                missing = "'ip netns add' failed here (no iproute2, or namespaces not permitted)";
            }
        }
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(missing + " (under CI=true the partition test must run)");
        }
        Assumptions.abort(missing);
    }

    /** Makes the bridge and this process's link to it, on a /24 no other lab of this machine uses. */
    public static NetworkLab create() throws IOException, InterruptedException {
        removeLeftovers();
        NetworkLab lab = new NetworkLab(freeSubnet());
        try {
            lab.ip("netns", "add", lab.bridgeNamespace);
            lab.ip("-n", lab.bridgeNamespace, "link", "add", "br0", "type", "bridge");
            lab.ip("-n", lab.bridgeNamespace, "link", "set", "br0", "up");
            lab.ip("link", "add", PREFIX, "type", "veth", "peer", "name", "uplink", "netns", lab.bridgeNamespace);
            lab.ip("-n", lab.bridgeNamespace, "link", "set", "uplink", "master", "br0", "up");
            lab.ip("addr", "add", lab.subnet + "254/24", "dev", PREFIX);
            lab.ip("link", "set", PREFIX, "up");
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** Adds a host {@code name} (letters, digits, dashes; short) with the next address of the subnet. */
    public Host add(String name) throws IOException, InterruptedException {
        Host host = new Host(PREFIX + "-" + name, subnet + (hosts.size() + 1));
        String port = "p" + (hosts.size() + 1);
        ip("netns", "add", host.namespace());
        hosts.put(name, host);
        ip("-n", bridgeNamespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host.namespace());
        ip("-n", bridgeNamespace, "link", "set", port, "master", "br0", "up");
        ip("-n", host.namespace(), "addr", "add", host.address() + "/24", "dev", "eth0");
        ip("-n", host.namespace(), "link", "set", "eth0", "up");
        ip("-n", host.namespace(), "link", "set", "lo", "up");
        return host;
    }

    public Host host(String name) {
        return hosts.get(name);
    }

    /** Parts {@code side} from {@code otherSide}: no packet between them either way; each still reaches this process. */
    public void cut(Collection<String> side, Collection<String> otherSide) throws IOException, InterruptedException {
        for (String a : side) {
            for (String b : otherSide) {
                blackhole(hosts.get(a).namespace(), hosts.get(b).address());
                blackhole(hosts.get(b).namespace(), hosts.get(a).address());
            }
        }
    }

    /** Takes out every cut. */
    public void heal() throws IOException, InterruptedException {
        for (String[] route : List.copyOf(blackholes)) {
            ip("-n", route[0], "route", "del", "blackhole", route[1] + "/32");
            blackholes.remove(route);
        }
    }

    private void blackhole(String namespace, String address) throws IOException, InterruptedException {
        ip("-n", namespace, "route", "add", "blackhole", address + "/32");
        blackholes.add(new String[] {namespace, address});
    }

    /** Deletes every namespace of the lab (their processes keep running, cut off). Never fails. */
    @Override
    public void close() {
        for (Host host : hosts.values()) {
            run(List.of("ip", "netns", "del", host.namespace()));
        }
        hosts.clear();
        run(List.of("ip", "netns", "del", bridgeNamespace));
        run(List.of("ip", "link", "del", PREFIX)); // normally gone with its peer already
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    /** Runs {@code command} and answers its exit code, or -1 when it could not run. */
    private static int run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    private static boolean isRoot() {
        try {
            // "Uid:	real	effective	saved	fs"
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Namespaces of labs whose test JVM died before it could clean up (a killed build). */
    private static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : output(List.of("ip", "netns", "list")).split("\n")) {
            Matcher m = OURS.matcher(line.strip());
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                run(List.of("ip", "netns", "del", m.group()));
            }
        }
    }

    /** A /24 under {@value #SUBNET_BASE} on which this machine has no address yet (another lab running). */
    private static String freeSubnet() throws IOException, InterruptedException {
        String addresses = output(List.of("ip", "-4", "-o", "addr", "show"));
        long start = ProcessHandle.current().pid() % 250;
        for (int i = 0; i < 250; i++) {
            String candidate = SUBNET_BASE + ((start + i) % 250 + 1) + ".";
            if (!addresses.contains(" " + candidate)) {
                return candidate;
            }
        }
        throw new IOException("no free /24 under " + SUBNET_BASE + "0.0/16");
    }
}
