package dev.sliceplane.platform.api.query;

/**
 * A query that cannot be parsed or does not fit the schema. The message names the bad term and
 * where it starts, e.g. {@code unknown attribute 'cpux' in 'cpux > 1' at position 1 of where}.
 * HTTP endpoints answer it as 400, problem type {@code invalid-query}, with {@link #parameter()},
 * {@link #term()} and {@link #position()} as extension members.
 */
public class InvalidQueryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String term;
    private final int position;

    /**
     * @param parameter which part of the query: {@code where}, {@code sort}, {@code select} or {@code limit}
     * @param term      the offending term as written (may be empty when the query ends too early)
     * @param position  1-based position of the term's first character in the parameter's text
     * @param problem   what is wrong, for a person
     */
    public InvalidQueryException(String parameter, String term, int position, String problem) {
        super(problem + (term.isEmpty() ? "" : " in '" + term + "'") + " at position " + position + " of "
                + parameter);
        this.parameter = parameter;
        this.term = term;
        this.position = position;
    }

    /** Which part of the query was wrong: {@code where}, {@code sort}, {@code select} or {@code limit}. */
    public String parameter() {
        return parameter;
    }

    /** The offending term as written. */
    public String term() {
        return term;
    }

    /** The 1-based position of the offending term in its parameter. */
    public int position() {
        return position;
    }
}
