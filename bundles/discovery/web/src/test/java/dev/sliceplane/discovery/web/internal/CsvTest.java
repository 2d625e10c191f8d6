package dev.sliceplane.discovery.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** RFC 4180 quoting: only fields that need it are quoted, their quotes doubled; null is empty. */
class CsvTest {

    @Test
    void quotesOnlyWhatNeedsItAndDoublesQuotes() {
        String csv = new Csv().line(List.of("plain", "a,b", "say \"hi\"", "two\nlines"))
                .line(Arrays.asList(1.5, null, 7L)).toString();
        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1.5,,7\r\n", csv);
    }
}
