/**
 * The discovery HTTP API ({@code /api/v1/discovery/...}) and the cluster-wide monitor tables
 * ({@code /api/v1/monitor/cluster/...}) over whichever {@link dev.sliceplane.discovery.api.Discovery}
 * implementation is active. Not an implementation of the sub-service itself: it only consumes it.
 */
package dev.sliceplane.discovery.web.internal;
