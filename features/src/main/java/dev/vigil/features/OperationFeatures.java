package dev.vigil.features;

/**
 * One operation's features over one window (entry spans of a service grouped by span name).
 * Latencies in milliseconds.
 *
 * @param slowestTraceId the trace id of the slowest request of the window
 */
public record OperationFeatures(
    String service,
    String operation,
    long requests,
    long errors,
    double p50Millis,
    double p95Millis,
    double selfP95Millis,
    String slowestTraceId) {}
