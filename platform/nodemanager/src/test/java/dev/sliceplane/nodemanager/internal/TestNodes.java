package dev.sliceplane.nodemanager.internal;

import java.io.IOException;
import java.nio.file.Path;

import dev.sliceplane.jose.Ed25519PrivateKey;
import dev.sliceplane.platform.api.security.Caller;
import dev.sliceplane.vmm.api.Vmm;

/** The {@link Fixture} for tests in other packages (the HTTP routes). */
public final class TestNodes {

    public static final String HOST = Fixture.HOST;
    public static final String SLICE = Fixture.SLICE;

    private TestNodes() {
    }

    /** A node manager on a real VMM under {@code temp}, with the fake authority, agent and slice. */
    public static Node start(Path temp) throws IOException {
        return new Node(new Fixture(temp).start());
    }

    /** {@code member}, {@code stranger}, {@code admin} or {@code pi-<site>}. */
    public static Caller caller(String who) {
        return switch (who) {
            case "member" -> Fixture.member();
            case "stranger" -> Fixture.stranger();
            case "admin" -> Fixture.admin();
            default -> who.startsWith("pi-") ? Fixture.pi(who.substring(3)) : Caller.ANONYMOUS;
        };
    }

    /** One node under test. */
    public static final class Node implements AutoCloseable {
        private final Fixture fixture;

        Node(Fixture fixture) {
            this.fixture = fixture;
        }

        public NodeManager manager() {
            return fixture.manager;
        }

        public Vmm vmm() {
            return fixture.vmm;
        }

        public String ticket() {
            return fixture.ticket();
        }

        public String ticket(String slice) {
            return fixture.ticket(slice, Fixture.SMALL, c -> { });
        }

        public String forgedTicket() {
            return fixture.ticket(SLICE, Fixture.SMALL, c -> { }, fixture.certificate(fixture.authorityKey, c -> { }),
                    Ed25519PrivateKey.generate(fixture.random));
        }

        public String expiredTicket() {
            long now = fixture.clock.instant().getEpochSecond();
            return fixture.ticket(SLICE, Fixture.SMALL, c -> c.put("nbf", now - 7200).put("exp", now - 60));
        }

        @Override
        public void close() {
            fixture.close();
        }
    }
}
