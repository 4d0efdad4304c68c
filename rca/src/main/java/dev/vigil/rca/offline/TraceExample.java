package dev.vigil.rca.offline;

/** A slow request kept as an example: one of the slowest of its operation in its time bin. */
public record TraceExample(
    String service, String operation, long startMillis, double latencyMillis, String traceId) {}
