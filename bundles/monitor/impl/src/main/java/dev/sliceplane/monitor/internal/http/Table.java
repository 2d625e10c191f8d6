package dev.sliceplane.monitor.internal.http;

import java.time.Instant;
import java.util.List;

import dev.sliceplane.platform.api.query.QuerySchema;
import dev.sliceplane.platform.api.query.Row;

/**
 * A queryable table of the monitor: the attributes a caller may select, filter and sort on, and
 * each figure record as a row of them (numbers in base units: bytes, cores, seconds, bytes/s).
 *
 * @param <F> the figure record of a row
 */
interface Table<F> {

    QuerySchema schema();

    /** The records of the latest sample. */
    List<F> records();

    /** {@code record} as a row; {@code at} is the sample time, from which relative figures count. */
    Row row(F record, Instant at);
}
