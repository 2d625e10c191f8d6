package dev.sliceplane.vmm.process.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;

import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;
import dev.sliceplane.vmm.spi.VmmBackendFactory;
import dev.sliceplane.vmm.spi.VmmBackendProvider;

/**
 * Makes {@link ProcessBackend}s. Usable on any Linux with /proc, as any user: the fallback
 * when the cgroup backend cannot run. Plain Java works too: {@code new ProcessBackendFactory().open(context)}.
 */
@VmmBackendProvider(ProcessBackend.NAME)
@Component(service = VmmBackendFactory.class, property = VmmBackendFactory.NAME + "=" + ProcessBackend.NAME)
public final class ProcessBackendFactory implements VmmBackendFactory {

    private static final Path PROC = Path.of("/proc");

    @Override
    public String name() {
        return ProcessBackend.NAME;
    }

    @Override
    public Availability probe() {
        String missing = missingPlatform();
        if (missing != null) {
            return Availability.unusable(missing);
        }
        try {
            Host host = Host.detect(PROC);
            return Availability.usable(String.format("Linux /proc readable; %s at %s; running as uid %d%s;"
                            + " USER_HZ %d; page size %d; autogroup %s; nice %s, renice %s, prlimit %s",
                    "setsid", host.tools().setsid(), host.uid(), host.root() ? " (root)" : "",
                    host.ticksPerSecond(), host.pageSize(), host.autogroup() ? "on" : "off",
                    found(host.tools().nice().isPresent()), found(host.tools().renice().isPresent()),
                    found(host.tools().prlimit().isPresent())));
        } catch (RuntimeException e) {
            return Availability.unusable("the process backend cannot run here: " + e.getMessage());
        }
    }

    @Override
    public VmmBackend open(BackendContext context) {
        String missing = missingPlatform();
        Host host;
        try {
            if (missing != null) {
                throw new IllegalStateException(missing);
            }
            host = Host.detect(PROC);
        } catch (RuntimeException e) {
            throw new VmmException(VmmException.Reason.NOT_SUPPORTED, e.getMessage(), e);
        }
        return ProcessBackend.open(context, host);
    }

    /** Why this cannot be the right kind of machine at all, or null. */
    private static String missingPlatform() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return "the process backend needs Linux and its /proc; this is " + os;
        }
        if (!Files.isReadable(PROC.resolve("self/stat"))) {
            return "/proc is not mounted or not readable";
        }
        return null;
    }

    private static String found(boolean present) {
        return present ? "found" : "missing";
    }
}
