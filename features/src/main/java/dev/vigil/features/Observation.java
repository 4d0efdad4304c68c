package dev.vigil.features;

/**
 * One request as seen by the service that handled it, derived from an assembled trace.
 *
 * @param caller the calling service, or null for a request from outside the traced system
 * @param selfNanos latency minus the time spent waiting on downstream calls
 * @param selfError the request failed and no downstream call it made failed
 * @param virtual the service is not instrumented and was inferred from its callers' client spans
 */
record Observation(
    String service,
    String operation,
    String caller,
    String traceId,
    long endEpochNanos,
    long durationNanos,
    long selfNanos,
    boolean error,
    boolean selfError,
    boolean virtual) {}
