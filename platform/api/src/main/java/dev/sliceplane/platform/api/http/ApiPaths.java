package dev.sliceplane.platform.api.http;

/** Path conventions of the HTTP API. */
public final class ApiPaths {

    /** Every route of the versioned API lives under this prefix. */
    public static final String PREFIX = "/api/v1";

    /** Media type of JSON bodies. */
    public static final String JSON = "application/json";

    /** Media type of RFC 9457 problem bodies. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private ApiPaths() {
    }
}
