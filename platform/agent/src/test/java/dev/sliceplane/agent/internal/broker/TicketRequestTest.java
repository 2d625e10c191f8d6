package dev.sliceplane.agent.internal.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.sliceplane.jose.Jws;
import dev.sliceplane.platform.api.acquisition.Resources;

class TicketRequestTest {

    @Test
    void defaultsAreOneTicketTheDefaultWindowAndAllOrNothing() throws Exception {
        TicketRequest request = TicketRequest.parse(Jws.JSON.readTree("{\"slice\":\"princeton_codeen\",\"resources\":"
                + "{\"cpu\":0.5,\"memory\":268435456,\"processes\":64,\"disk\":1073741824},\"where\":null}"),
                Duration.ofMinutes(45), 10);
        assertEquals(1, request.count());
        assertEquals(Duration.ofMinutes(45), request.duration());
        assertFalse(request.partial());
        assertEquals("", request.where());
        assertEquals(new Resources(0.5, 268435456, 64, 1073741824), request.resources());
    }

    @Test
    void everyFieldIsRead() throws Exception {
        TicketRequest request = TicketRequest.parse(Jws.JSON.readTree("{\"slice\":\"s_x\",\"count\":3,\"resources\":"
                + "{\"cpu\":1,\"memory\":1,\"processes\":1,\"disk\":1},\"where\":\"site != mit\",\"duration\":\"PT2H\","
                + "\"partial\":true}"), Duration.ofHours(1), 10);
        assertEquals(new TicketRequest("s_x", 3, new Resources(1, 1, 1, 1), "site != mit", Duration.ofHours(2), true),
                request);
    }
}
