package dev.sliceplane.discovery.jgroups.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The bundle's components as DS sees them: the descriptors bnd generated into OSGI-INF. Two
 * components that reference each other make DS meet a cycle when one activates while the other
 * does, and one of them then goes without its reference for good (seen across processes before
 * the adverts took the node's health from {@code NodeHealth}: a node in its group whose
 * {@code discovery} check said JGroups was not active).
 */
class ComponentWiringTest {

    private record Reference(String name, String service, String target) {
    }

    private record Descriptor(String name, List<String> provides, Map<String, Object> properties, List<Reference> references) {

        /** Whether one of this component's references would take {@code other}'s service. */
        boolean references(Descriptor other) throws InvalidSyntaxException {
            for (Reference reference : references) {
                if (other.provides.contains(reference.service()) && (reference.target() == null
                        || FrameworkUtil.createFilter(reference.target()).matches(other.properties))) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void noTwoComponentsOfTheBundleReferenceEachOther() throws Exception {
        List<Descriptor> components = descriptors();
        assertEquals(2, components.size(), "JGroupsDiscovery and DiscoveryHealth: " + components);
        for (Descriptor a : components) {
            for (Descriptor b : components) {
                if (a != b) {
                    assertFalse(a.references(b) && b.references(a), a.name() + " and " + b.name() + " reference each other");
                }
            }
        }
    }

    /** Every descriptor in this module's OSGI-INF (bnd writes them into the classes directory before tests run). */
    private static List<Descriptor> descriptors() throws Exception {
        List<Descriptor> descriptors = new ArrayList<>();
        try (Stream<Path> files = Files.list(osgiInf())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    descriptors.add(parse(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)));
                }
            }
        }
        return descriptors;
    }

    private static Path osgiInf() throws URISyntaxException {
        return Path.of(JGroupsDiscovery.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("OSGI-INF");
    }

    private static Descriptor parse(Document xml) {
        Element component = xml.getDocumentElement();
        List<String> provides = new ArrayList<>();
        for (Element provide : elements(component, "provide")) {
            provides.add(provide.getAttribute("interface"));
        }
        Map<String, Object> properties = new HashMap<>();
        for (Element property : elements(component, "property")) {
            properties.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        properties.put("component.name", component.getAttribute("name"));
        List<Reference> references = new ArrayList<>();
        for (Element reference : elements(component, "reference")) {
            String target = reference.getAttribute("target");
            references.add(new Reference(reference.getAttribute("name"), reference.getAttribute("interface"),
                    target.isEmpty() ? null : target));
        }
        return new Descriptor(component.getAttribute("name"), provides, properties, references);
    }

    private static List<Element> elements(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }
}
