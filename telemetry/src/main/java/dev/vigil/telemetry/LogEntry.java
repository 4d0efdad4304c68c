package dev.vigil.telemetry;

import java.util.Map;

/**
 * One OTLP log record (or event), flattened with its resource.
 *
 * @param timeEpochNanos the event time, or the observed time when the event time is unset
 * @param severityNumber OTLP severity number, 0 when unspecified, 17-24 for ERROR and FATAL
 * @param body the body rendered as text
 * @param eventName the event name of an OTLP event, or empty
 * @param traceId hex trace id, or empty
 * @param spanId hex span id, or empty
 */
public record LogEntry(
    Resource resource,
    long timeEpochNanos,
    int severityNumber,
    String severityText,
    String body,
    String eventName,
    String traceId,
    String spanId,
    Map<String, Object> attributes) {

  /** The lowest OTLP severity number of the ERROR range. */
  public static final int SEVERITY_ERROR = 17;

  public LogEntry {
    attributes = Map.copyOf(attributes);
  }

  public String service() {
    return resource.serviceName();
  }

  public boolean isError() {
    return severityNumber >= SEVERITY_ERROR;
  }
}
