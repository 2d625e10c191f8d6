package dev.sliceplane.cli.commands;

import java.util.Locale;

/**
 * Boot states as the node spells them in JSON ({@code BootState}'s constant names, e.g. {@code BOOT});
 * people may type them in any case.
 */
final class BootStates {

    private BootStates() {
    }

    static String normalize(String typed) {
        return typed == null ? null : typed.strip().toUpperCase(Locale.ROOT);
    }
}
