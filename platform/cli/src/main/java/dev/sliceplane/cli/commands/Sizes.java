package dev.sliceplane.cli.commands;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Byte sizes as people write them, with the units of the query language ({@code --where}):
 * {@code 268435456}, {@code 256MiB}, {@code 1.5GiB}, {@code 500MB}. Units ignore case; a bad one is
 * picocli's usage error (exit 2) with this message.
 */
final class Sizes implements ITypeConverter<Long> {

    static final String UNITS = "B, KiB, MiB, GiB, TiB, KB, MB, GB or TB";
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");
    private static final Map<String, Long> FACTORS = Map.of(
            "", 1L, "b", 1L,
            "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L);

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String text) {
        Matcher size = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        Long factor = size.matches() ? FACTORS.get(size.group(2)) : null;
        if (factor == null) {
            throw notASize(text);
        }
        try {
            return new BigDecimal(size.group(1)).multiply(BigDecimal.valueOf(factor)).longValueExact();
        } catch (ArithmeticException e) {
            // A fraction of a byte, or more than a long holds.
            throw notASize(text);
        }
    }

    private static TypeConversionException notASize(String text) {
        return new TypeConversionException("'" + text + "' is not a size; give bytes or a number with " + UNITS
                + " (e.g. 256MiB)");
    }
}
