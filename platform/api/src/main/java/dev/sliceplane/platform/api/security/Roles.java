package dev.sliceplane.platform.api.security;

/** Role names, after PlanetLab Central's roles, as callers carry them. */
public final class Roles {

    /** Operates the authority: everything. */
    public static final String ADMIN = "admin";
    /** Principal investigator: manages their site's slices and members. */
    public static final String PI = "pi";
    /** Researcher: uses the slices they are a member of. */
    public static final String USER = "user";
    /** Technical contact: manages their site's nodes, and with admins installs and swaps bundles. */
    public static final String TECH = "tech";
    /** Owns a node and sets its local policy. */
    public static final String NODE_OWNER = "node-owner";
    /** A node itself, authenticated by its node credential. */
    public static final String NODE = "node";

    private Roles() {
    }
}
