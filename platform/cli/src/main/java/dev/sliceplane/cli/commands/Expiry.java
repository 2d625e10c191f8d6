package dev.sliceplane.cli.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sliceplane.cli.CliException;
import dev.sliceplane.cli.ExitCodes;

/**
 * A slice's expiry as people write it: an instant ({@code 2026-12-31T12:00:00Z}), a date (the end
 * of that day, UTC) or a time from now ({@code 12h}, {@code 30d}, {@code 8w}).
 */
final class Expiry {

    static final String HELP = "When: an instant (2026-12-31T12:00:00Z), a date (end of that day, UTC) or a time from now (12h, 30d, 8w).";
    private static final Pattern RELATIVE = Pattern.compile("\\+?(\\d{1,6})([hdw])");

    private Expiry() {
    }

    static Instant parse(String text, Clock clock) {
        String trimmed = text.strip();
        Matcher relative = RELATIVE.matcher(trimmed);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration unit = switch (relative.group(2)) {
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return clock.instant().plus(unit.multipliedBy(amount)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
        try {
            return Instant.parse(trimmed);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(trimmed).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
            } catch (DateTimeParseException notADate) {
                throw new CliException(ExitCodes.USAGE, "'" + text + "' is not an expiry. " + HELP);
            }
        }
    }
}
