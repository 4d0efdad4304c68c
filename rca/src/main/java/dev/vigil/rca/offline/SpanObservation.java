package dev.vigil.rca.offline;

/**
 * One request as the service that handled it saw it.
 *
 * @param caller the calling service, or null for a request from outside the traces
 * @param callerOperation the caller's operation, or null
 * @param selfMillis latency minus the time spent waiting on other services
 * @param gapMillis the caller's client span minus this span (network and queueing), or NaN when the
 *     caller's span is not a plain client span of this call
 * @param ownError failed without a failing downstream call
 * @param virtual the service is not instrumented: it was seen only from its caller's client span
 */
record SpanObservation(
    String service,
    String operation,
    String caller,
    String callerOperation,
    String traceId,
    long startMillis,
    double latencyMillis,
    double selfMillis,
    double gapMillis,
    boolean ownError,
    boolean virtual) {}
