package dev.sliceplane.monitor.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The monitor of this node. Every method answers from memory and never waits on a sample, so it
 * is safe to call from an HTTP request or a Prometheus scrape. Thread-safe.
 *
 * <p>A swappable sub-service ({@code monitor}): reference it dynamically and greedily.
 */
@ProviderType
public interface Monitor {

    /** The node's latest figures; empty until the first sample has been taken. */
    Optional<NodeFigures> node();

    /** Every live sliver's latest figures, by name. */
    List<SliverFigures> slivers();

    /** Every running management slice's latest figures, by name. */
    List<SliceFigures> managementSlices();

    /**
     * The history of one series at one resolution, oldest point first.
     *
     * @throws IllegalArgumentException when the subject or the metric is unknown (the message says which)
     */
    History history(Series series, Resolution resolution);

    /** The series that have history now: the node's, each live sliver's and each management slice's. */
    List<Series> series();
}
