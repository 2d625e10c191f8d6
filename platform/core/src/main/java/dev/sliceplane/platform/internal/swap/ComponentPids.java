package dev.sliceplane.platform.internal.swap;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.osgi.framework.Bundle;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The configuration PIDs of a bundle's components that provide given services, read from the
 * bundle's Declarative Services descriptors. Reading the descriptors (rather than asking the
 * component runtime) works before the bundle starts, so the swap manager can configure the
 * ranking first and the services register at it: consumers see a better service appear, which
 * is what makes greedy references rebind.
 */
final class ComponentPids {

    private ComponentPids() {
    }

    static Set<String> providing(Bundle bundle, Collection<String> services) {
        Set<String> pids = new LinkedHashSet<>();
        String header = bundle.getHeaders("").get("Service-Component");
        if (header == null) {
            return pids;
        }
        for (String path : header.split(",")) {
            for (URL descriptor : entries(bundle, path.trim())) {
                try (InputStream in = descriptor.openStream()) {
                    collect(parse(in), services, pids);
                } catch (IOException | SAXException | ParserConfigurationException e) {
                    throw new IllegalStateException("cannot read component descriptor " + descriptor + ": " + e.getMessage(), e);
                }
            }
        }
        return pids;
    }

    private static List<URL> entries(Bundle bundle, String path) {
        List<URL> urls = new ArrayList<>();
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "/" : path.substring(0, slash);
        String pattern = path.substring(slash + 1);
        Enumeration<URL> found = bundle.findEntries(dir, pattern, false);
        while (found != null && found.hasMoreElements()) {
            urls.add(found.nextElement());
        }
        return urls;
    }

    private static Element parse(InputStream in) throws IOException, SAXException, ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var builder = factory.newDocumentBuilder();
        // Errors reach the caller as exceptions; the default handler would also print them to stderr.
        builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return builder.parse(in).getDocumentElement();
    }

    private static void collect(Element root, Collection<String> services, Set<String> pids) {
        List<Element> components = new ArrayList<>();
        if ("component".equals(root.getLocalName())) {
            components.add(root);
        } else {
            NodeList children = root.getElementsByTagNameNS("*", "component");
            for (int i = 0; i < children.getLength(); i++) {
                components.add((Element) children.item(i));
            }
        }
        for (Element component : components) {
            if (providesAny(component, services)) {
                pids.add(pidOf(component));
            }
        }
    }

    private static boolean providesAny(Element component, Collection<String> services) {
        NodeList provides = component.getElementsByTagNameNS("*", "provide");
        for (int i = 0; i < provides.getLength(); i++) {
            if (services.contains(((Element) provides.item(i)).getAttribute("interface"))) {
                return true;
            }
        }
        return false;
    }

    /** The PID whose configuration wins: the last of configuration-pid, "$" meaning the name. */
    private static String pidOf(Element component) {
        String name = component.getAttribute("name");
        String declared = component.getAttribute("configuration-pid").trim();
        if (declared.isEmpty()) {
            return name;
        }
        String[] pids = declared.split("\\s+");
        String last = pids[pids.length - 1];
        return last.equals("$") ? name : last;
    }
}
