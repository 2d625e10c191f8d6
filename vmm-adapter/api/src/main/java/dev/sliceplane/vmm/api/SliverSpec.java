package dev.sliceplane.vmm.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to create: a sliver's name and its limits.
 *
 * <p>Names follow PlanetLab's slice names ({@code princeton_codeen}): a lower-case letter,
 * then up to 62 lower-case letters, digits, {@code _} or {@code -}. The name is also a
 * directory and a cgroup name, so nothing else is allowed.
 *
 * @param name   the sliver's name, unique on the node
 * @param limits its limits; {@link Limits#NONE} for none
 */
public record SliverSpec(String name, Limits limits) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    public SliverSpec {
        requireValidName(name);
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * Checks a sliver name.
     *
     * @throws VmmException with {@link VmmException.Reason#INVALID_NAME} when it is not valid
     */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new VmmException(VmmException.Reason.INVALID_NAME,
                    "invalid sliver name " + (name == null ? "null" : "'" + name + "'")
                            + ": use a lower-case letter, then up to 62 of a-z, 0-9, '_' or '-'");
        }
        return name;
    }
}
