package dev.vigil.rca.offline;

/**
 * Calls from one service to another over the whole recording.
 *
 * @param ratePerSecond calls per second over the time the recording spans
 * @param meanLatencyMillis mean latency of the callee's entry spans for these calls
 */
public record CallEdge(
    String caller,
    String callee,
    long calls,
    long errors,
    double ratePerSecond,
    double meanLatencyMillis) {}
