package dev.sliceplane.vmm.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a node knows about one sliver.
 *
 * @param name        its name
 * @param limits      its limits as set
 * @param enforcement how each set limit is honoured by the backend
 * @param home        its home directory; programs run under it
 * @param created     when it was created
 * @param programs    the programs launched in it, oldest first
 */
public record SliverInfo(String name, Limits limits, Map<Limit, Enforcement> enforcement, Path home,
                         Instant created, List<ProgramInfo> programs) {

    public SliverInfo {
        enforcement = Map.copyOf(enforcement);
        programs = List.copyOf(programs);
    }
}
