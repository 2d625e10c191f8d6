package dev.sliceplane.platform.internal.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.sliceplane.platform.internal.NodePaths;

/**
 * Who this node is: a stable id generated on first start and kept in the data directory, a name,
 * its site and the roles it plays (the all-in-one default is both authority and node).
 */
@Component(service = NodeIdentity.class, configurationPid = NodeIdentity.PID)
@Designate(ocd = NodeIdentity.Config.class)
public final class NodeIdentity {

    static final String PID = "dev.sliceplane.node";

    @ObjectClassDefinition(name = "Sliceplane node", description = "This node's name, site and roles.")
    public @interface Config {
        @AttributeDefinition(description = "The node's name; empty means the host name.")
        String name() default "";

        @AttributeDefinition(description = "The site the node belongs to.")
        String site() default "local";

        @AttributeDefinition(description = "Roles this process plays: authority, node.")
        String[] roles() default {"authority", "node"};
    }

    /** What {@code GET /api/v1/node} returns. */
    public record Description(String id, String name, String site, List<String> roles, String version,
            Instant startedAt, long uptimeSeconds, String java, String framework) {
    }

    private final BundleContext context;
    private final String id;
    /** Replaced as a whole when the configuration changes. */
    private volatile Config config;
    private final Instant startedAt;
    /** Resolved once: looking the host name up may ask DNS, which a request must not wait for. */
    private final String hostName = hostName();

    @Activate
    public NodeIdentity(BundleContext context, Config config) {
        this.context = context;
        this.config = config;
        this.id = loadOrCreateId(NodePaths.dataDir(context).resolve("node").resolve("node-id"));
        this.startedAt = Instant.ofEpochMilli(ProcessHandle.current().info().startInstant()
                .map(Instant::toEpochMilli).orElse(System.currentTimeMillis()));
    }

    /** Takes a new name, site or roles in place, so the node's endpoints are not re-registered. */
    @Modified
    void modified(Config updated) {
        this.config = updated;
    }

    public String id() {
        return id;
    }

    public Description describe() {
        String version = context.getProperty("sliceplane.version");
        Config current = config;
        String name = current.name().isBlank() ? hostName : current.name();
        return new Description(id, name, current.site(), roles(current.roles()),
                version != null ? version : context.getBundle().getVersion().toString(), startedAt,
                Duration.between(startedAt, Instant.now()).toSeconds(),
                Runtime.version().toString(),
                "Apache Felix " + context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getVersion());
    }

    /** Roles from configuration; a .cfg file gives "authority,node" as one value, so split it. */
    private static List<String> roles(String[] configured) {
        return java.util.Arrays.stream(configured)
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(role -> !role.isEmpty())
                .distinct()
                .toList();
    }

    private static String loadOrCreateId(Path file) {
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            String created = UUID.randomUUID().toString();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("node-id.tmp");
            Files.writeString(tmp, created + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node id in " + file, e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
