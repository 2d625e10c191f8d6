package dev.sliceplane.nodemanager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.sliceplane.platform.api.health.HealthStatus;

/** The health check, and what a failed journal does: nothing is granted and the node says DOWN. */
class HealthTest {

    @TempDir
    Path temp;

    Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(temp).start();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void upWithTheLeasesAndTheReconciliation() throws Exception {
        f.manager.redeem(f.ticket(), Fixture.member());
        var result = running(f.manager).check();
        assertEquals(HealthStatus.UP, result.status());
        assertTrue(result.message().startsWith("1 leases; reconciled at"), result.message());
    }

    @Test
    void notRunningOnANodeIsDownAndSaysWhatItWaitsFor() {
        var waiting = new NodeManagerHealth(null, f.authorityKeys(), null, null, f.vmm, null).check();
        assertEquals(HealthStatus.DOWN, waiting.status(), "a node that cannot grant slivers yet is not ready");
        assertEquals("not running yet: it waits for the node's credential (NodeSigner), the slice directory "
                + "(SliceDirectory)", waiting.message());
        var failed = new NodeManagerHealth(null, f.authorityKeys(), f.sliceDirectory(), f.nodeSigner(), f.vmm, null).check();
        assertEquals(HealthStatus.DOWN, failed.status());
        assertTrue(failed.message().contains("failed to start"), failed.message());
        var noVmm = new NodeManagerHealth(null, f.authorityKeys(), f.sliceDirectory(), f.nodeSigner(), null, null).check();
        assertEquals(HealthStatus.DOWN, noVmm.status());
        assertTrue(noVmm.message().endsWith("it waits for the VMM"), noVmm.message());
    }

    @Test
    void aProcessThatIsNotANodeNeedsNoNodeManager() {
        var authorityOnly = new NodeManagerHealth(null, null, null, null, null, roles("authority")).check();
        assertEquals(HealthStatus.UP, authorityOnly.status(), authorityOnly.message());
        var node = new NodeManagerHealth(null, null, null, null, null, roles("authority, node")).check();
        assertEquals(HealthStatus.DOWN, node.status(), node.message());
        var defaults = new NodeManagerHealth(null, null, null, null, null, roles(null)).check();
        assertEquals(HealthStatus.DOWN, defaults.status(), "the default roles are authority and node");
    }

    /** A Configuration Admin holding {@code dev.sliceplane.node} with these roles (null: no such configuration). */
    static ConfigurationAdmin roles(String roles) {
        Configuration identity = (Configuration) Proxy.newProxyInstance(HealthTest.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperties")) {
                        Hashtable<String, Object> properties = new Hashtable<>();
                        properties.put("roles", roles.split(","));
                        return properties;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(HealthTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listConfigurations")) {
                        assertEquals("(service.pid=dev.sliceplane.node)", args[0]);
                        return roles == null ? null : new Configuration[] {identity};
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    NodeManagerHealth running(NodeManager manager) {
        return new NodeManagerHealth(manager, f.authorityKeys(), f.sliceDirectory(), f.nodeSigner(), f.vmm, null);
    }

    @Test
    void aFailedJournalRefusesChangesAndTurnsTheCheckDown() throws Exception {
        f.manager.deactivate(); // its journal is closed: every append fails, as on a dead disk
        String ticket = f.ticket();
        assertThrows(StorageException.class, () -> f.manager.redeem(ticket, Fixture.member()));
        assertTrue(f.vmm.list().isEmpty(), "no sliver without its journaled intent");
        assertEquals(0, f.manager.leaseCount());
        var result = running(f.manager).check();
        assertEquals(HealthStatus.DOWN, result.status());
        assertTrue(result.message().contains("journal failed"), result.message());
        // A restart rewrites the journal and the unanswered ticket is good again.
        assertEquals(Fixture.SLICE, f.restart().redeem(ticket, Fixture.member()).sliver());
    }
}
