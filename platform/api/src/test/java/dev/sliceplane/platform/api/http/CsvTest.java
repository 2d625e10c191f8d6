package dev.sliceplane.platform.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesOnlyFieldsThatNeedItAndDoublesQuotes() {
        String csv = new Csv().line(List.of("name", "note", "n"))
                .line(Arrays.asList("plain", "a,b", 1.5))
                .line(Arrays.asList("say \"hi\"", "two\nlines", null))
                .line(Arrays.asList("cr\rhere", "", 42L))
                .toString();
        assertEquals("name,note,n\r\n"
                + "plain,\"a,b\",1.5\r\n"
                + "\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
                + "\"cr\rhere\",,42\r\n", csv);
    }
}
