package dev.sliceplane.platform.api.swap;

/**
 * What one swap did.
 *
 * @param service       the sub-service
 * @param from          the implementation active before, or {@code null}
 * @param to            the implementation active now
 * @param totalMicros   time from the request to the old implementation stopped
 * @param rebindMicros  time from the new implementation's services registering (at their
 *                      raised ranking) until the swap saw no consumer use the old one any more:
 *                      an upper bound, since it looks only once the consumers have had their
 *                      turn alone and the other listeners have been told
 */
public record SwapReport(String service, String from, String to, long totalMicros, long rebindMicros) {
}
