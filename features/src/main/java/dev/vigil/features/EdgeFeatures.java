package dev.vigil.features;

/**
 * Calls from one service to another over one window, measured at the callee's entry span. Latency
 * in milliseconds.
 */
public record EdgeFeatures(
    String caller, String callee, long calls, long errors, double p50Millis, double p95Millis) {}
