package dev.sliceplane.vmm.linux.internal;

import java.nio.file.Path;
import java.util.List;

import dev.sliceplane.vmm.api.Limits;
import dev.sliceplane.vmm.api.VmmException;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupDriver;
import dev.sliceplane.vmm.linux.internal.cgroup.CgroupSample;

/** A real driver that fails one step of creation (after doing it), to show the backend undoes the rest. */
final class FailingDriver implements CgroupDriver {

    private final CgroupDriver real;
    private final String failingStep;

    FailingDriver(CgroupDriver real, String failingStep) {
        this.real = real;
        this.failingStep = failingStep;
    }

    private void fail(String step) {
        if (step.equals(failingStep)) {
            throw new VmmException(VmmException.Reason.BACKEND_FAILURE, "injected failure in " + step);
        }
    }

    @Override
    public String description() {
        return real.description();
    }

    @Override
    public void prepareRoot() {
        real.prepareRoot();
    }

    @Override
    public List<String> sliverCgroups() {
        return real.sliverCgroups();
    }

    @Override
    public boolean exists(String sliver) {
        return real.exists(sliver);
    }

    @Override
    public void create(String sliver) {
        real.create(sliver);
    }

    @Override
    public void apply(String sliver, Limits limits) {
        real.apply(sliver, limits);
        fail("apply");
    }

    @Override
    public Limits read(String sliver) {
        fail("read");
        return real.read(sliver);
    }

    @Override
    public List<Path> procsFiles(String sliver) {
        return real.procsFiles(sliver);
    }

    @Override
    public long[] processes(String sliver) {
        return real.processes(sliver);
    }

    @Override
    public CgroupSample sample(String sliver) {
        return real.sample(sliver);
    }

    @Override
    public void killAll(String sliver) {
        real.killAll(sliver);
    }

    @Override
    public void remove(String sliver) {
        real.remove(sliver);
    }
}
