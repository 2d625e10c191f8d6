package dev.sliceplane.accounts.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a principal may do, after PlanetLab Central's roles. */
public enum Role {
    /** Operates the authority: everything. */
    ADMIN("admin"),
    /** Principal investigator: manages their site's slices and members. */
    PI("pi"),
    /** Researcher: uses the slices they are a member of. */
    USER("user"),
    /** Technical contact: manages their site's nodes. */
    TECH("tech"),
    /** Owns a node and sets its local policy. */
    NODE_OWNER("node-owner");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    /** The role's external name, such as {@code node-owner}. */
    public String id() {
        return id;
    }

    /**
     * The role with this external name.
     *
     * @throws RegistryException {@link RegistryException.Reason#INVALID} on field {@code roles}
     */
    public static Role of(String id) {
        for (Role role : values()) {
            if (role.id.equals(id)) {
                return role;
            }
        }
        throw RegistryException.invalid("roles", "unknown role '" + (id == null ? "null" : Checks.shorten(id))
                + "'; roles are " + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
