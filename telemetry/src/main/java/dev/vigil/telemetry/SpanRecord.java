package dev.vigil.telemetry;

import java.util.Map;

/**
 * One span, flattened with its resource.
 *
 * @param traceId 32 lowercase hex characters
 * @param spanId 16 lowercase hex characters
 * @param parentSpanId 16 lowercase hex characters, or the empty string for a root span
 * @param resource the producing resource (shared by the spans of one OTLP {@code ResourceSpans})
 * @param name the operation name
 * @param startEpochNanos start time, Unix epoch nanoseconds
 * @param endEpochNanos end time, Unix epoch nanoseconds
 * @param attributes span attributes
 */
public record SpanRecord(
    String traceId,
    String spanId,
    String parentSpanId,
    Resource resource,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    StatusCode status,
    Map<String, Object> attributes)
    implements SpanView {

  public SpanRecord {
    attributes = AttributeMap.immutable(attributes);
  }

  public String service() {
    return resource.serviceName();
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  public boolean isError() {
    return status == StatusCode.ERROR;
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }
}
