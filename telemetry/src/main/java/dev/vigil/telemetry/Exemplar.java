package dev.vigil.telemetry;

/**
 * A sample measurement linked to the trace it was recorded in, so a metric anomaly can point at
 * example traces.
 *
 * @param traceId hex trace id, or empty
 * @param spanId hex span id, or empty
 */
public record Exemplar(long timeEpochNanos, double value, String traceId, String spanId) {}
