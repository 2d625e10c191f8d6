package dev.sliceplane.cli.commands;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A length of time: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, combined as {@code 1h30m}, or
 * ISO-8601 ({@code PT1H}). Positive; a bad one is picocli's usage error (exit 2) with this message.
 */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern PARTS = Pattern.compile("(\\d{1,7})([smhd])");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,7}[smhd])+");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        Duration total = Duration.ZERO;
        if (WHOLE.matcher(trimmed).matches()) {
            Matcher part = PARTS.matcher(trimmed);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            }
        } else {
            try {
                total = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        if (total.isZero() || total.isNegative()) {
            throw notADuration(text);
        }
        return total;
    }

    private static TypeConversionException notADuration(String text) {
        return new TypeConversionException("'" + text + "' is not a length of time; give e.g. 90s, 30m, 2h, 1d, 1h30m or PT1H");
    }
}
