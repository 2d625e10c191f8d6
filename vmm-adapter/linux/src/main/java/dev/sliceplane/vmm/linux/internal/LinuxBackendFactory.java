package dev.sliceplane.vmm.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDrivers;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupLayout;
import dev.sliceplane.vmm.spi.BackendContext;
import dev.sliceplane.vmm.spi.VmmBackend;
import dev.sliceplane.vmm.spi.VmmBackendFactory;
import dev.sliceplane.vmm.spi.VmmBackendProvider;

/**
 * Makes the {@code linux} backend: slivers as cgroups, limits enforced by the kernel. Usable
 * when this process runs as root and a writable cgroup layout with cpu, memory and pids exists
 * (v2, or v1 hierarchies for cpu, cpuacct, memory and pids). Plain Java works too:
 * {@code new LinuxBackendFactory().open(context)}.
 */
@VmmBackendProvider(LinuxBackendFactory.NAME)
@Component(service = VmmBackendFactory.class, property = VmmBackendFactory.NAME + "=" + LinuxBackendFactory.NAME)
public final class LinuxBackendFactory implements VmmBackendFactory {

    public static final String NAME = "linux";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability probe() {
        return probe(Path.of("/proc/self/status"), CgroupLayout.detect());
    }

    /** The probe against a given {@code /proc/self/status} and layout, so tests can show each refusal. */
    static Availability probe(Path procStatus, CgroupLayout layout) {
        long uid = effectiveUid(procStatus);
        if (uid != 0) {
            return Availability.unusable("the linux backend needs root to manage cgroups; this process runs as "
                    + (uid < 0 ? "an unknown user (" + procStatus + " unreadable)" : "uid " + uid));
        }
        if (layout instanceof CgroupLayout.Unsupported unsupported) {
            return Availability.unusable(unsupported.reason());
        }
        List<String> readOnly = new ArrayList<>();
        for (Path mount : mounts(layout)) {
            if (!Files.isWritable(mount)) {
                readOnly.add(mount.toString());
            }
        }
        if (!readOnly.isEmpty()) {
            return Availability.unusable("cgroup hierarchies not writable (mounted read-only?): " + String.join(", ", readOnly));
        }
        try {
            Supervisor.locate();
        } catch (VmmException e) {
            return Availability.unusable(e.getMessage());
        }
        return Availability.usable(layout instanceof CgroupLayout.V2 v2 ? "cgroup v2 at " + v2.mount()
                : "cgroup v1 hierarchies " + ((CgroupLayout.V1) layout).controllers());
    }

    private static Set<Path> mounts(CgroupLayout layout) {
        if (layout instanceof CgroupLayout.V2 v2) {
            return Set.of(v2.mount());
        }
        return new LinkedHashSet<>(((CgroupLayout.V1) layout).controllers().values());
    }

    /** The effective uid from the {@code Uid:} line (real, effective, saved, fs); -1 when unreadable. */
    static long effectiveUid(Path procStatus) {
        try {
            for (String line : Files.readAllLines(procStatus)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public VmmBackend open(BackendContext context) {
        LinuxSettings settings = LinuxSettings.of(context);
        CgroupLayout layout = CgroupLayout.detect();
        Availability availability = probe(Path.of("/proc/self/status"), layout);
        if (!availability.usable()) {
            throw new VmmException(VmmException.Reason.NOT_SUPPORTED, "the linux backend cannot run here: " + availability.reason());
        }
        CgroupDriver driver = CgroupDrivers.forLayout(layout, settings.cgroupRoot()).orElseThrow();
        return new LinuxBackend(context, settings, driver, Supervisor.locate());
    }
}
