package dev.sliceplane.platform.api.query;

import java.util.Objects;

/**
 * One comparison of a {@link Where}: {@code attribute op value}.
 *
 * @param attribute the attribute's name, one of the schema's
 * @param type      the attribute's type
 * @param operator  the comparison
 * @param value     a {@link Double} (units applied) for a number attribute, else the {@link String}
 * @param text      the term as written, for messages such as a broker's reasons
 * @param position  1-based position of the term in the {@code where} text
 */
public record Term(String attribute, AttributeType type, Operator operator, Object value, String text, int position) {

    public Term {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(text, "text");
        if (type == AttributeType.NUMBER != value instanceof Double) {
            throw new IllegalArgumentException("a number attribute takes a Double value, a text attribute a String");
        }
    }

    /** Whether {@code row} satisfies this term; a row without the attribute, or with a value of the wrong kind, does not. */
    public boolean matches(Row row) {
        Object actual = row.attribute(attribute);
        if (actual == null) {
            return false;
        }
        if (type == AttributeType.NUMBER) {
            if (!(actual instanceof Number number) || Double.isNaN(number.doubleValue())) {
                return false;
            }
            return operator.holds(Double.compare(number.doubleValue(), (Double) value));
        }
        return operator.holds(String.CASE_INSENSITIVE_ORDER.compare(actual.toString(), (String) value));
    }

    @Override
    public String toString() {
        return text;
    }
}
