package dev.sliceplane.accounts.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/** Input checks shared by the records; each failure names the field and what was wrong. */
final class Checks {

    /** PlanetLab's login bases: short, lower case, no underscore (it separates slice names). */
    static final Pattern LOGIN_BASE = Pattern.compile("[a-z][a-z0-9]{1,19}");
    /** A pragmatic address check: one @, no spaces, a dot in the domain. */
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    /** RFC 1123 host names, lower case. */
    static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    static final int MAX_EMAIL = 254;
    static final int MAX_NAME = 200;
    static final int MAX_URL = 500;
    static final int MAX_DESCRIPTION = 2000;

    private Checks() {
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw RegistryException.invalid(field, "is required");
        }
        return value;
    }

    static String matches(String field, String value, Pattern pattern, String expected) {
        required(field, value);
        if (!pattern.matcher(value).matches()) {
            throw RegistryException.invalid(field, "must be " + expected + ", got '" + shorten(value) + "'");
        }
        return value;
    }

    static String loginBase(String field, String value) {
        return matches(field, value, LOGIN_BASE,
                "2-20 lower-case letters or digits starting with a letter (like 'princeton')");
    }

    /** An e-mail address, lower-cased so that one mailbox cannot be registered twice. */
    static String email(String field, String value) {
        required(field, value);
        if (value.length() > MAX_EMAIL) {
            throw RegistryException.invalid(field, "must be at most " + MAX_EMAIL + " characters");
        }
        matches(field, value, EMAIL, "an e-mail address (like 'alice@cs.princeton.edu')");
        return value.toLowerCase(Locale.ROOT);
    }

    /** A DNS host name, lower-cased (DNS names are case-insensitive). */
    static String hostname(String field, String value) {
        required(field, value);
        return matches(field, value.toLowerCase(Locale.ROOT), HOSTNAME,
                "a DNS host name (like 'planetlab1.cs.princeton.edu')");
    }

    /** Required free text: trimmed, 1 to {@code max} characters, no control characters. */
    static String text(String field, String value, int max) {
        required(field, value);
        return optionalText(field, value, max);
    }

    /** Optional free text: null becomes empty; otherwise as {@link #text}. */
    static String optionalText(String field, String value, int max) {
        if (value == null) {
            return "";
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw RegistryException.invalid(field, "must be at most " + max + " characters, got " + trimmed.length());
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw RegistryException.invalid(field, "must not contain control characters");
            }
        }
        return trimmed;
    }

    /** An optional absolute http or https URL; null or blank becomes empty. */
    static String optionalUrl(String field, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String url = value.strip();
        if (url.length() > MAX_URL) {
            throw RegistryException.invalid(field, "must be at most " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw RegistryException.invalid(field, "must be an http or https URL, got '" + shorten(url) + "'");
            }
        } catch (URISyntaxException e) {
            throw RegistryException.invalid(field, "must be an http or https URL, got '" + shorten(url) + "'");
        }
        return url;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw RegistryException.invalid(field, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static <T> T notNull(String field, T value) {
        if (value == null) {
            throw RegistryException.invalid(field, "is required");
        }
        return value;
    }

    static void noNulls(String field, Collection<?> values) {
        notNull(field, values);
        for (Object value : values) {
            if (value == null) {
                throw RegistryException.invalid(field, "must not contain null");
            }
        }
    }

    /** Long or odd input is quoted back short, so messages stay readable and bounded. */
    static String shorten(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 64 ? oneLine : oneLine.substring(0, 61) + "...";
    }
}
