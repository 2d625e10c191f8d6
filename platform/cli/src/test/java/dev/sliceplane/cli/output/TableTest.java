package dev.sliceplane.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Table SITES = Table.of(Table.field("login base", "loginBase"), Table.field("name", "name"),
            Table.field("max slices", "maxSlices"));

    @Test
    void columnsAreAsWideAsTheirWidestCellWithTwoSpacesBetweenAndNoTrailingBlanks() throws Exception {
        String table = SITES.render(rows("""
                [{"loginBase": "princeton", "name": "Princeton University", "maxSlices": 10},
                 {"loginBase": "mit", "name": "MIT", "maxSlices": 100}]"""));
        assertEquals("""
                LOGIN BASE  NAME                  MAX SLICES
                princeton   Princeton University  10
                mit         MIT                   100
                """, table);
    }

    @Test
    void noRowsGiveTheHeaderAlone() throws Exception {
        assertEquals("LOGIN BASE  NAME  MAX SLICES\n", SITES.render(rows("[]")));
    }

    @Test
    void missingNullAndEmptyValuesShowAsDash() throws Exception {
        assertEquals("""
                LOGIN BASE  NAME  MAX SLICES
                x           -     -
                """, SITES.render(rows("[{\"loginBase\": \"x\", \"name\": \"\", \"maxSlices\": null}]")));
    }

    @Test
    void arraysAreJoinedAndControlCharactersCannotBreakARow() throws Exception {
        Table table = Table.of(Table.field("roles", "roles"), Table.field("description", "description"));
        assertEquals("""
                ROLES    DESCRIPTION
                pi,user  two lines
                -        -
                """, table.render(rows("""
                [{"roles": ["pi", "user"], "description": "two\\nlines"}, {"roles": []}]""")));
    }

    @Test
    void widthCountsCharactersNotUtf16Units() throws Exception {
        Table table = Table.of(Table.field("name", "name"), Table.field("site", "site"));
        assertEquals("""
                NAME  SITE
                𝔸b    x
                abc   y
                """, table.render(rows("[{\"name\": \"𝔸b\", \"site\": \"x\"}, {\"name\": \"abc\", \"site\": \"y\"}]")));
    }

    @Test
    void computedColumnsDecidePerRow() throws Exception {
        Table table = Table.of(Table.field("hostname", "hostname"),
                Table.computed("registered", row -> row.path("identityKey").asText("").isEmpty() ? "no" : "yes"));
        assertEquals("HOSTNAME  REGISTERED\na.org     yes\nb.org     no\n",
                table.render(rows("[{\"hostname\": \"a.org\", \"identityKey\": \"k\"}, {\"hostname\": \"b.org\"}]")));
    }

    @Test
    void aTableNeedsAColumn() {
        assertThrows(IllegalArgumentException.class, Table::of);
    }

    @Test
    void printerSaysSoForAnEmptyListAndPrintsJsonAsItCame() throws Exception {
        assertEquals("no sites\n", print(false, "[]"));
        assertEquals("[ ]\n", print(true, "[]"));
        assertEquals("[ {\n  \"loginBase\" : \"mit\"\n} ]\n", print(true, "[{\"loginBase\": \"mit\"}]"));
    }

    @Test
    void detailsAlignFieldNames() throws Exception {
        assertEquals("""
                loginBase  mit
                name       MIT
                roles      pi,user
                """, Details.render(JSON.readTree("{\"loginBase\": \"mit\", \"name\": \"MIT\", \"roles\": [\"pi\", \"user\"]}")));
    }

    private static String print(boolean asJson, String rows) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Printer(new PrintStream(bytes, true, StandardCharsets.UTF_8), JSON, asJson).list(JSON.readTree(rows), SITES, "sites");
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<JsonNode> rows(String json) throws Exception {
        List<JsonNode> rows = new java.util.ArrayList<>();
        JSON.readTree(json).forEach(rows::add);
        return rows;
    }
}
