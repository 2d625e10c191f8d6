package dev.sliceplane.platform.api.query;

/** A comparison of a term. */
public enum Operator {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** As written in a query. */
    public String symbol() {
        return symbol;
    }

    /** Whether a comparison result ({@code <0, 0, >0}) of row value against query value satisfies this. */
    boolean holds(int comparison) {
        switch (this) {
            case EQ: return comparison == 0;
            case NE: return comparison != 0;
            case LT: return comparison < 0;
            case LE: return comparison <= 0;
            case GT: return comparison > 0;
            default: return comparison >= 0;
        }
    }
}
