package dev.vigil.telemetry;

/**
 * What the trace rules read of a span: its service, kind, status and interval. A recorded span
 * ({@link SpanRecord}) is one, and so is the compact form the live trace assembly keeps.
 */
public interface SpanView {
  String service();

  SpanKind kind();

  boolean isError();

  long startEpochNanos();

  long endEpochNanos();
}
