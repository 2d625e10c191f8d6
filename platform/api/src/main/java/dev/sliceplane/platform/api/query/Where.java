package dev.sliceplane.platform.api.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code where} expression: terms joined by {@code and}; a row matches when it satisfies
 * every term. The empty expression matches every row. Immutable and thread-safe.
 */
public final class Where {

    /** Longer expressions are refused before parsing. */
    public static final int MAX_LENGTH = 4096;
    /** More terms are refused. */
    public static final int MAX_TERMS = 64;
    /** Matches every row. */
    public static final Where ALL = new Where(List.of());

    private static final String PARAMETER = "where";
    private static final Pattern NUMBER = Pattern.compile(
            "([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)([A-Za-z%]*)");
    private static final Pattern NEXT_AND = Pattern.compile("(?i)\\s+and(\\s|$)");
    private static final Map<String, Double> UNITS = Map.of(
            "kib", 1024d, "mib", 1024d * 1024, "gib", 1024d * 1024 * 1024, "tib", 1024d * 1024 * 1024 * 1024,
            "kb", 1e3, "mb", 1e6, "gb", 1e9, "tb", 1e12, "%", 0.01);

    private final List<Term> terms;

    private Where(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    /**
     * Parses {@code text} against {@code schema}; null or blank text is {@link #ALL}.
     *
     * @throws InvalidQueryException naming the bad term and its position
     */
    public static Where parse(String text, QuerySchema schema) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidQueryException(PARAMETER, "", MAX_LENGTH + 1,
                    "the expression is longer than " + MAX_LENGTH + " characters");
        }
        return new Where(new Parser(text, schema).terms());
    }

    public List<Term> terms() {
        return terms;
    }

    /** Whether {@code row} satisfies every term. */
    public boolean matches(Row row) {
        for (Term term : terms) {
            if (!term.matches(row)) {
                return false;
            }
        }
        return true;
    }

    /** The terms {@code row} fails, in the order written: why it was left out. */
    public List<Term> failedTerms(Row row) {
        List<Term> failed = new ArrayList<>();
        for (Term term : terms) {
            if (!term.matches(row)) {
                failed.add(term);
            }
        }
        return failed;
    }

    @Override
    public String toString() {
        return String.join(" and ", terms.stream().map(Term::text).toList());
    }

    /** A single pass over the text; {@code at} is the 0-based index of the next character. */
    private static final class Parser {
        private final String text;
        private final QuerySchema schema;
        private int at;
        private int termStart;

        Parser(String text, QuerySchema schema) {
            this.text = text;
            this.schema = schema;
        }

        List<Term> terms() {
            List<Term> terms = new ArrayList<>();
            skipSpace();
            while (true) {
                if (terms.size() == MAX_TERMS) {
                    throw error("more than " + MAX_TERMS + " terms");
                }
                terms.add(term());
                skipSpace();
                if (at == text.length()) {
                    return terms;
                }
                termStart = at;
                String word = word();
                if (!word.equalsIgnoreCase("and")) {
                    throw error(word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not")
                            ? "only 'and' joins terms" : "expected 'and' after a term");
                }
                if (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
                    throw error("expected a space after 'and'");
                }
                skipSpace();
                if (at == text.length()) {
                    termStart = at;
                    throw error("expected a term after 'and'");
                }
            }
        }

        private Term term() {
            termStart = at;
            int nameStart = at;
            if (at == text.length() || !isNameStart(text.charAt(at))) {
                throw error("expected an attribute name");
            }
            while (at < text.length() && isNamePart(text.charAt(at))) {
                at++;
            }
            String name = text.substring(nameStart, at);
            AttributeType type = schema.type(name);
            if (type == null) {
                throw error("unknown attribute '" + name + "' (known: " + String.join(", ", schema.names()) + ")");
            }
            skipSpace();
            Operator operator = operator();
            skipSpace();
            if (at == text.length()) {
                throw error("expected a value after '" + operator.symbol() + "'");
            }
            Object value = text.charAt(at) == '\'' || text.charAt(at) == '"' ? quoted(type) : bare(type);
            return new Term(name, type, operator, value, text.substring(termStart, at), termStart + 1);
        }

        private Operator operator() {
            String rest = text.substring(at);
            for (String symbol : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
                if (rest.startsWith(symbol)) {
                    at += symbol.length();
                    if (at < text.length() && "=<>!".indexOf(text.charAt(at)) >= 0) {
                        throw error("unknown operator '" + symbol + text.charAt(at) + "' (use = != < <= > >=)");
                    }
                    for (Operator operator : Operator.values()) {
                        if (operator.symbol().equals(symbol)) {
                            return operator;
                        }
                    }
                }
            }
            throw error("expected one of = != < <= > >=");
        }

        private Object quoted(AttributeType type) {
            char quote = text.charAt(at++);
            StringBuilder value = new StringBuilder();
            while (true) {
                if (at == text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == quote) {
                    break;
                }
                if (c == '\\' && at < text.length() && (text.charAt(at) == quote || text.charAt(at) == '\\')) {
                    c = text.charAt(at++);
                }
                value.append(c);
            }
            if (type == AttributeType.NUMBER) {
                throw error("expects a number, not a string");
            }
            return value.toString();
        }

        private Object bare(AttributeType type) {
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
                char c = text.charAt(at);
                if (!isWordPart(c)) {
                    at++;
                    throw error("unexpected character '" + c + "'");
                }
                at++;
            }
            String raw = text.substring(start, at);
            if (type == AttributeType.TEXT) {
                return raw;
            }
            Matcher number = NUMBER.matcher(raw);
            if (!number.matches()) {
                throw error("expects a number, not '" + raw + "'");
            }
            String unit = number.group(2);
            Double factor = unit.isEmpty() ? Double.valueOf(1) : UNITS.get(unit.toLowerCase(Locale.ROOT));
            if (factor == null) {
                throw error("unknown unit '" + unit + "' (use KiB MiB GiB TiB KB MB GB TB or %)");
            }
            double value = Double.parseDouble(number.group(1)) * factor;
            if (Double.isInfinite(value) || Double.isNaN(value)) {
                throw error("the number is too large");
            }
            return value;
        }

        private String word() {
            int start = at;
            while (at < text.length() && !Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            return text.substring(start, at);
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private InvalidQueryException error(String problem) {
            // The term runs to the next " and " (or the end), so the message shows all of it.
            Matcher next = NEXT_AND.matcher(text);
            int end = next.find(Math.max(at, termStart)) ? next.start() : text.length();
            return new InvalidQueryException(PARAMETER, text.substring(termStart, end).strip(), termStart + 1, problem);
        }

        private static boolean isNameStart(char c) {
            return c < 128 && (Character.isLetter(c) || c == '_');
        }

        private static boolean isNamePart(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.');
        }

        /** Characters of bare words: host names, addresses, e-mail addresses, numbers with units. */
        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || "_.:-+/@%".indexOf(c) >= 0;
        }
    }
}
