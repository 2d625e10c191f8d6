package dev.sliceplane.platform.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryTest {

    private static final QuerySchema NODES = QuerySchema.of(new LinkedHashMap<>(Map.of(
            "hostname", AttributeType.TEXT, "site", AttributeType.TEXT, "health", AttributeType.TEXT,
            "cpu_free", AttributeType.NUMBER, "mem_free", AttributeType.NUMBER, "load", AttributeType.NUMBER)));

    private static Row node(String hostname, String site, double cpuFree, long memFree) {
        Map<String, Object> values = new HashMap<>();
        values.put("hostname", hostname);
        values.put("site", site);
        values.put("health", "UP");
        values.put("cpu_free", cpuFree);
        values.put("mem_free", memFree);
        return Row.of(values);
    }

    private static InvalidQueryException invalid(String where) {
        return assertThrows(InvalidQueryException.class, () -> Where.parse(where, NODES));
    }

    @Test
    void termsJoinedByAndMustAllHold() {
        Where where = Where.parse("site!=mit and mem_free>=1GiB", NODES);
        assertEquals(2, where.terms().size());
        assertTrue(where.matches(node("a", "princeton", 1, 1L << 30)));
        assertFalse(where.matches(node("b", "mit", 1, 1L << 30)));
        assertFalse(where.matches(node("c", "princeton", 1, (1L << 30) - 1)));
        assertEquals(List.of("mem_free>=1GiB"),
                where.failedTerms(node("c", "princeton", 1, 1)).stream().map(Term::text).toList());
    }

    @ParameterizedTest
    @CsvSource({"1KiB,1024", "1 ,1", "2MiB,2097152", "1GiB,1073741824", "1TiB,1099511627776", "1KB,1000",
            "3MB,3000000", "1.5GB,1500000000", "2TB,2000000000000", "50%,0.5", "1gib,1073741824", "-2,-2",
            ".5,0.5", "1e3,1000"})
    void numbersTakeUnits(String written, double expected) {
        Term term = Where.parse("mem_free = " + written.strip(), NODES).terms().get(0);
        assertEquals(expected, (Double) term.value(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"cpu_free = 1,true", "cpu_free != 1,false", "cpu_free < 1.5,true", "cpu_free <= 1,true",
            "cpu_free > 1,false", "cpu_free >= 1,true", "hostname = NODE1.example.org,true",
            "hostname != node1.example.org,false", "site < zzz,true", "site > mit,true"})
    void everyOperatorCompares(String where, boolean expected) {
        assertEquals(expected, Where.parse(where, NODES).matches(node("node1.example.org", "princeton", 1, 0)));
    }

    @Test
    void quotedStringsAndEscapes() {
        Where where = Where.parse("site = 'a b\\'c' and hostname=\"x\\\"y\"", NODES);
        assertEquals("a b'c", where.terms().get(0).value());
        assertEquals("x\"y", where.terms().get(1).value());
        assertTrue(where.matches(node("x\"y", "A B'C", 0, 0)));
    }

    @Test
    void aRowWithoutTheAttributeMatchesNoTermOnIt() {
        assertFalse(Where.parse("load < 5", NODES).matches(node("a", "s", 0, 0)));
        assertFalse(Where.parse("load != 5", NODES).matches(node("a", "s", 0, 0)));
        assertFalse(Where.parse("load < 5", NODES).matches(Row.of(Map.of("load", "not a number"))));
    }

    @Test
    void blankMatchesEverything() {
        assertTrue(Where.parse("  ", NODES).matches(name -> null));
        assertTrue(Where.parse(null, NODES).terms().isEmpty());
    }

    @Test
    void unknownAttributeIsNamedWithItsPosition() {
        InvalidQueryException e = invalid("site = mit and cpux > 1");
        assertEquals("cpux > 1", e.term());
        assertEquals(16, e.position());
        assertEquals("where", e.parameter());
        assertTrue(e.getMessage().contains("unknown attribute 'cpux'"), e.getMessage());
        assertTrue(e.getMessage().contains("position 16"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cpu_free > lots|expects a number|1",
            "cpu_free > 'x'|expects a number, not a string|1",
            "mem_free > 1GiBs|unknown unit 'GiBs'|1",
            "cpu_free > 1 or site = mit|only 'and' joins terms|14",
            "cpu_free > 1 site = mit|expected 'and'|14",
            "cpu_free > 1 and|expected a term after 'and'|17",
            "cpu_free > 1 andsite=mit|expected 'and'|14",
            "cpu_free|expected one of|1",
            "cpu_free ==1|unknown operator '=='|1",
            "cpu_free =>1|unknown operator '=>'|1",
            "cpu_free >|expected a value|1",
            "site = 'mit|unterminated string|1",
            "site = mit;drop|unexpected character ';'|1",
            "(site = mit)|expected an attribute name|1",
            "site = m(it|unexpected character '('|1",
            "1site = mit|expected an attribute name|1",
            "mem_free > 1e999|too large|1",
            "hostname = \u00e9t\u00e9 and cpu_free > x|expects a number|20",
    })
    void malformedTermsAreNamed(String where, String problem, int position) {
        InvalidQueryException e = invalid(where);
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(position, e.position(), e.getMessage());
    }

    @Test
    void hugeOrManyTermsAreRefused() {
        assertTrue(invalid("site = " + "x".repeat(Where.MAX_LENGTH)).getMessage().contains("longer than"));
        List<String> terms = new ArrayList<>();
        for (int i = 0; i <= Where.MAX_TERMS; i++) {
            terms.add("cpu_free>" + i);
        }
        assertTrue(invalid(String.join(" and ", terms)).getMessage().contains("more than"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"site=\u0000", "site = '\u0000'x", "cpu_free > NaN", "cpu_free > Infinity", "cpu_free>0x10"})
    void oddInputNeverEscapesAsAnotherException(String where) {
        try {
            Where.parse(where, NODES);
        } catch (InvalidQueryException expected) {
            assertTrue(expected.position() >= 1);
        }
    }

    @Test
    void sortByKeysWithDirectionsAndMissingValuesLast() {
        List<Row> rows = new ArrayList<>(List.of(node("b", "s", 1, 0), node("a", "s", 2, 0), node("c", "s", 1, 0),
                Row.of(Map.of("hostname", "d"))));
        rows.sort(Sort.parse("-cpu_free, hostname", NODES).comparator());
        assertEquals(List.of("a", "b", "c", "d"), rows.stream().map(r -> r.attribute("hostname")).toList());
        rows.sort(Sort.parse("+cpu_free,-hostname", NODES).comparator());
        assertEquals(List.of("c", "b", "a", "d"), rows.stream().map(r -> r.attribute("hostname")).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"cpu_free,nope|nope|10", "-|-|1", "cpu_free,,site|''|10"})
    void badSortKeysAreNamed(String sort, String term, int position) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> Sort.parse(sort, NODES));
        assertEquals(term, e.term());
        assertEquals(position, e.position());
        assertEquals("sort", e.parameter());
    }

    @Test
    void rowQuerySelectsFiltersSortsAndLimits() {
        RowQuery query = RowQuery.parse(NODES, "hostname,cpu_free", "cpu_free >= 1", "-cpu_free,hostname", "2", 100);
        List<Row> result = query.apply(List.of(node("b", "s", 1, 0), node("a", "s", 3, 0), node("c", "s", 2, 0),
                node("z", "s", 0.5, 0)));
        assertEquals(List.of("a", "c"), result.stream().map(r -> r.attribute("hostname")).toList());
        assertEquals(List.of("hostname", "cpu_free"), List.copyOf(query.project(result.get(0)).keySet()));
        assertEquals(100, RowQuery.parse(NODES, null, null, null, null, 100).limit());
        assertEquals(NODES.names().size(), RowQuery.parse(NODES, "", null, null, null, 100).select().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101", "1.5", "ten", "99999999999"})
    void limitsOutOfRangeAreRefused(String limit) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> RowQuery.parse(NODES, null, null, null, limit, 100));
        assertEquals("limit", e.parameter());
    }

    @Test
    void unknownSelectedAttributeIsNamed() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> RowQuery.parse(NODES, "hostname, secret", null, null, null, 10));
        assertEquals("secret", e.term());
        assertEquals(11, e.position());
    }
}
