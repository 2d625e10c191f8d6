package dev.sliceplane.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sliceplane.client.internal.Authority;
import dev.sliceplane.client.internal.Deployment;
import dev.sliceplane.client.internal.Fanout;
import dev.sliceplane.client.internal.JsonHttp;
import dev.sliceplane.client.internal.NodeManagers;
import dev.sliceplane.client.internal.SliceOperations;
import dev.sliceplane.platform.api.acquisition.Resources;

/**
 * A researcher's service manager: deploys a slice on many nodes and manages its leases there.
 *
 * <pre>{@code
 * ServiceManager manager = ServiceManager.builder(URI.create("https://authority.example.org"))
 *         .token(() -> System.getenv("SLICEPLANE_TOKEN"))
 *         .build();
 * DeployReport report = manager.deploy(DeployRequest.of("princeton_codeen", 3,
 *                 new Resources(0.5, 256L << 20, 64, 1L << 30))
 *         .lasting(Duration.ofHours(1))
 *         .running(ProgramSpec.of("python3", "-m", "http.server", "8000")));
 * }</pre>
 *
 * <p>The authority (broker and agent) answers or the call fails with a {@link ClientException}.
 * Nodes are called in parallel, at most {@link Builder#parallelism} at once, each request waiting
 * at most {@link Builder#nodeTimeout}; a node that refuses or does not answer is reported in the
 * result, the others go on. Thread-safe; holds no threads between calls, so there is nothing to
 * close.
 */
public final class ServiceManager {

    private final Deployment deployment;
    private final SliceOperations operations;

    private ServiceManager(Builder builder) {
        HttpClient http = builder.http != null ? builder.http
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(builder.connectTimeout)
                        .build();
        JsonHttp calls = new JsonHttp(http, new ObjectMapper(), builder.token);
        Authority authority = new Authority(calls, builder.authority, builder.authorityTimeout);
        NodeManagers nodes = new NodeManagers(calls, builder.nodeTimeout);
        Fanout fanout = new Fanout(builder.parallelism);
        this.deployment = new Deployment(authority, nodes, fanout);
        this.operations = new SliceOperations(authority, nodes, fanout);
    }

    /** @param authority the authority's base URL (where the broker and agent answer), e.g. {@code http://localhost:8080} */
    public static Builder builder(URI authority) {
        return new Builder(authority);
    }

    /**
     * Asks the broker for tickets, redeems each at its node, and starts the request's program in
     * every sliver granted.
     *
     * @throws RefusedException     the broker refused (e.g. 422 {@code no-matching-nodes} with the reasons)
     * @throws UnreachableException the authority did not answer
     */
    public DeployReport deploy(DeployRequest request) {
        return deployment.run(Objects.requireNonNull(request, "request"));
    }

    /**
     * Each node the slice holds a ticket for: its lease of the slice and the programs in the sliver.
     *
     * @throws ClientException the agent refused or did not answer
     */
    public SliceReport status(String slice) {
        return operations.status(slice);
    }

    /**
     * Renews the slice's lease on every node that holds one: its new end is at most now +
     * {@code duration} (the slice's expiry and each node's policy may make it sooner).
     *
     * @throws ClientException the agent refused or did not answer
     */
    public SliceReport renew(String slice, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a renewal needs a positive duration, was " + duration);
        }
        return operations.renew(slice, duration);
    }

    /**
     * Resizes the slice's sliver to {@code resources} on every node that holds a lease.
     *
     * @throws ClientException the agent refused or did not answer
     */
    public SliceReport resize(String slice, Resources resources) {
        Objects.requireNonNull(resources, "resources");
        return operations.resize(slice, current -> resources);
    }

    /**
     * Resizes each node's sliver to {@code change} applied to what its lease holds now, e.g. to
     * double the memory and keep the rest.
     *
     * @throws ClientException the agent refused or did not answer
     */
    public SliceReport resize(String slice, UnaryOperator<Resources> change) {
        return operations.resize(slice, Objects.requireNonNull(change, "change"));
    }

    /**
     * Releases the slice's leases on every node (their slivers are destroyed).
     *
     * @throws ClientException the agent refused or did not answer
     */
    public SliceReport release(String slice) {
        return operations.release(slice);
    }

    /** How a {@link ServiceManager} talks to the authority and the nodes. */
    public static final class Builder {

        private final URI authority;
        private BearerToken token = () -> null;
        private HttpClient http;
        private int parallelism = 16;
        private Duration nodeTimeout = Duration.ofSeconds(30);
        private Duration authorityTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(URI authority) {
            Objects.requireNonNull(authority, "authority");
            if (authority.getScheme() == null || authority.getHost() == null) {
                throw new IllegalArgumentException("the authority needs an absolute http(s) URL, was " + authority);
            }
            this.authority = authority;
        }

        /** The bearer token, asked for before every request. Default: none. */
        public Builder token(Supplier<String> supplier) {
            this.token = BearerToken.of(supplier);
            return this;
        }

        /** The bearer token, with a way to refresh it after a 401. */
        public Builder tokenSource(BearerToken source) {
            this.token = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The HTTP client to use; default: a new HTTP/1.1 client with the {@link #connectTimeout}. */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /** How many nodes are called at once. Default 16. */
        public Builder parallelism(int nodesAtOnce) {
            if (nodesAtOnce < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, was " + nodesAtOnce);
            }
            this.parallelism = nodesAtOnce;
            return this;
        }

        /** How long each request to a node may take before the node counts as unreachable. Default 30 s. */
        public Builder nodeTimeout(Duration timeout) {
            this.nodeTimeout = positive(timeout);
            return this;
        }

        /** How long each request to the broker or agent may take. Default 30 s. */
        public Builder authorityTimeout(Duration timeout) {
            this.authorityTimeout = positive(timeout);
            return this;
        }

        /** How long to wait for a connection, when no {@link #httpClient} is given. Default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        public ServiceManager build() {
            return new ServiceManager(this);
        }

        private static Duration positive(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a timeout must be positive, was " + timeout);
            }
            return timeout;
        }
    }
}
