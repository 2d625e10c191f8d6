package dev.sliceplane.accounts.api;

/** What a node should do when it boots, after PlanetLab's boot states. */
public enum BootState {
    /** Not yet registered: no identity key. */
    INSTALL,
    /** Boot normally and run slivers. */
    BOOT,
    /** Boot without running slivers, for diagnosis. */
    SAFEBOOT,
    /** Wipe and reinstall on next boot. */
    REINSTALL,
    /** Do not run; the node is taken out of service. */
    DISABLED
}
