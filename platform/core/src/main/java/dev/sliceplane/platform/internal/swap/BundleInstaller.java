package dev.sliceplane.platform.internal.swap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.sliceplane.platform.api.http.Problem;
import dev.sliceplane.platform.api.http.ProblemException;
import dev.sliceplane.platform.api.swap.SubServiceInfo;
import dev.sliceplane.platform.api.swap.SwapManager;

/**
 * Installs uploaded bundles all-or-nothing: a jar that is not a bundle, duplicates an installed
 * one, does not resolve or does not start is refused with the reason and leaves nothing behind.
 * Sub-service implementations are installed but not started; the swap manager decides whether
 * they run.
 */
@Component(service = BundleInstaller.class)
public final class BundleInstaller {

    /** Location prefix of bundles installed through the API. */
    static final String UPLOAD_LOCATION = "sliceplane:upload/";

    private final BundleContext context;
    private final SwapManager swapManager;

    @Activate
    public BundleInstaller(BundleContext context, @Reference SwapManager swapManager) {
        this.context = context;
        this.swapManager = swapManager;
    }

    /**
     * Installs a bundle from the bytes of its jar.
     *
     * @throws ProblemException 409 or 422 naming the reason; nothing is left installed
     */
    public synchronized Bundle install(byte[] jar) {
        Manifest manifest = manifestOf(jar);
        var main = manifest.getMainAttributes();
        String bsnHeader = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsnHeader == null || bsnHeader.isBlank()) {
            throw refused("not-a-bundle", "Not an OSGi bundle", "the jar's manifest has no Bundle-SymbolicName");
        }
        if (!"2".equals(Objects.toString(main.getValue(Constants.BUNDLE_MANIFESTVERSION), "").trim())) {
            throw refused("not-a-bundle", "Not an OSGi bundle", "the jar's manifest must declare Bundle-ManifestVersion: 2");
        }
        String bsn = bsnHeader.split(";", 2)[0].trim();
        Version version;
        try {
            version = Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION));
        } catch (IllegalArgumentException e) {
            throw refused("not-a-bundle", "Not an OSGi bundle", "invalid Bundle-Version: " + e.getMessage());
        }
        for (Bundle existing : context.getBundles()) {
            if (bsn.equals(existing.getSymbolicName()) && version.equals(existing.getVersion())) {
                throw new ProblemException(Problem.conflict(bsn + " " + version + " is already installed as bundle "
                        + existing.getBundleId()).with("bundleId", existing.getBundleId()));
            }
        }
        Bundle bundle;
        try {
            bundle = context.installBundle(UPLOAD_LOCATION + bsn + "/" + version, new ByteArrayInputStream(jar));
        } catch (BundleException e) {
            throw refused("install-failed", "Bundle refused", e.getMessage());
        }
        boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        if (!fragment && !wiring().resolveBundles(List.of(bundle))) {
            List<String> missing = unresolved(bundle);
            discard(bundle);
            throw new ProblemException(Problem.unprocessable("unresolved", "Bundle does not resolve",
                    bsn + " " + version + " cannot resolve: " + String.join("; ", missing)).with("missing", missing));
        }
        if (!fragment && Implementation.of(bundle).isEmpty()) {
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                discard(bundle);
                throw refused("start-failed", "Bundle failed to start", bsn + " " + version + ": " + e.getMessage());
            }
        }
        return bundle;
    }

    /**
     * Uninstalls a bundle unless it is part of the platform or the running implementation of a
     * sub-service.
     *
     * @throws ProblemException 404 for an unknown id, 409 when refused
     */
    public synchronized void uninstall(long id) {
        Bundle bundle = context.getBundle(id);
        if (bundle == null) {
            throw new ProblemException(Problem.notFound("no bundle with id " + id));
        }
        if (id == 0 || bundle.getBundleId() == context.getBundle().getBundleId()
                || Objects.toString(bundle.getSymbolicName(), "").startsWith("dev.sliceplane.platform")) {
            throw new ProblemException(Problem.conflict(bundle.getSymbolicName() + " is part of the platform and cannot be uninstalled"));
        }
        for (SubServiceInfo service : swapManager.services()) {
            if (bundle.getSymbolicName().equals(service.active()) && service.implementations().size() > 1) {
                throw new ProblemException(Problem.conflict(bundle.getSymbolicName() + " is the active " + service.name()
                        + "; swap to another implementation first"));
            }
        }
        discard(bundle);
    }

    private static Manifest manifestOf(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            if (manifest == null) {
                throw refused("not-a-bundle", "Not an OSGi bundle", "the upload is not a jar with a manifest");
            }
            return manifest;
        } catch (IOException e) {
            throw refused("not-a-bundle", "Not an OSGi bundle", "the upload is not a readable jar: " + e.getMessage());
        }
    }

    /** Mandatory requirements that nothing installed can satisfy, in the resolver's terms. */
    private List<String> unresolved(Bundle bundle) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            String resolution = requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            if (Namespace.RESOLUTION_OPTIONAL.equals(resolution)) {
                continue;
            }
            if (wiring().findProviders(requirement).isEmpty()) {
                missing.add(requirement.getNamespace() + " " + requirement.getDirectives().getOrDefault("filter", ""));
            }
        }
        if (missing.isEmpty()) {
            missing.add("its requirements exist but conflict (uses constraints); see the node log");
        }
        return missing;
    }

    private void discard(Bundle bundle) {
        try {
            bundle.uninstall();
            var refreshed = new java.util.concurrent.CountDownLatch(1);
            wiring().refreshBundles(List.of(bundle), event -> {
                if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                    refreshed.countDown();
                }
            });
            refreshed.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (BundleException | IllegalStateException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FrameworkWiring wiring() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    private static ProblemException refused(String slug, String title, String detail) {
        return new ProblemException(Problem.unprocessable(slug, title, detail));
    }
}
