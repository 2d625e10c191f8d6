package dev.sliceplane.platform.internal.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

class ComponentPidsTest {

    private static final String API = "dev.example.api.Monitor";
    private static final String NS = "xmlns:scr='http://www.osgi.org/xmlns/scr/v1.4.0'";

    @TempDir
    Path root;

    @Test
    void pidsOfTheComponentsProvidingTheServices() throws IOException {
        write("OSGI-INF/default.xml", component("dev.example.Default", null, API));
        write("OSGI-INF/dollar.xml", component("dev.example.Dollar", "shared.pid $", API));
        write("OSGI-INF/explicit.xml", component("dev.example.Explicit", "first.pid winning.pid", API));
        write("OSGI-INF/unrelated.xml", component("dev.example.Unrelated", null, "dev.example.api.Other"));

        Set<String> pids = ComponentPids.providing(bundle("OSGI-INF/*.xml"), List.of(API));

        assertEquals(Set.of("dev.example.Default", "dev.example.Dollar", "winning.pid"), pids);
    }

    @Test
    void aComponentsWrapperHoldingSeveral() throws IOException {
        write("OSGI-INF/all.xml", "<components>"
                + component("dev.example.One", null, API).replaceFirst("<\\?xml[^>]*>", "")
                + component("dev.example.Two", "two.pid", "dev.example.api.Other", API).replaceFirst("<\\?xml[^>]*>", "")
                + "</components>");

        Set<String> pids = ComponentPids.providing(bundle("OSGI-INF/all.xml"), List.of(API));

        assertEquals(Set.of("dev.example.One", "two.pid"), pids);
    }

    @Test
    void everyListedDescriptorIsRead() throws IOException {
        write("OSGI-INF/a.xml", component("dev.example.A", null, API));
        write("b.xml", component("dev.example.B", null, API));

        Set<String> pids = ComponentPids.providing(bundle("OSGI-INF/a.xml, b.xml"), List.of(API));

        assertEquals(Set.of("dev.example.A", "dev.example.B"), pids);
    }

    @Test
    void aBundleWithoutComponentsHasNoPids() {
        assertEquals(Set.of(), ComponentPids.providing(bundle(null), List.of(API)));
    }

    @Test
    void aMalformedDescriptorIsReported() throws IOException {
        write("OSGI-INF/broken.xml", "<scr:component " + NS + " name='x'><service>");

        var e = assertThrows(IllegalStateException.class,
                () -> ComponentPids.providing(bundle("OSGI-INF/*.xml"), List.of(API)));

        assertTrue(e.getMessage().contains("broken.xml"), e.getMessage());
    }

    private static String component(String name, String configurationPid, String... provides) {
        StringBuilder xml = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?>")
                .append("<scr:component ").append(NS).append(" name='").append(name).append('\'');
        if (configurationPid != null) {
            xml.append(" configuration-pid='").append(configurationPid).append('\'');
        }
        xml.append("><implementation class='").append(name).append("'/><service>");
        for (String p : provides) {
            xml.append("<provide interface='").append(p).append("'/>");
        }
        return xml.append("</service></scr:component>").toString();
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A bundle whose entries are the files under {@link #root}. */
    private Bundle bundle(String serviceComponent) {
        Hashtable<String, String> headers = new Hashtable<>();
        if (serviceComponent != null) {
            headers.put("Service-Component", serviceComponent);
        }
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> headers;
                    case "findEntries" -> findEntries((String) args[0], (String) args[1]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake bundle";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Object findEntries(String dir, String pattern) {
        Path path = root.resolve(dir.replaceFirst("^/", ""));
        if (!Files.isDirectory(path)) {
            return null;
        }
        List<URL> urls = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path, pattern)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    urls.add(f.toUri().toURL());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return urls.isEmpty() ? null : Collections.enumeration(urls);
    }
}
