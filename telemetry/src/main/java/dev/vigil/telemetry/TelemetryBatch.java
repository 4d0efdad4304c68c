package dev.vigil.telemetry;

import java.util.List;

/** The records decoded from one OTLP message. */
public record TelemetryBatch(
    List<SpanRecord> spans, List<MetricPoint> metrics, List<LogEntry> logs) {

  public static final TelemetryBatch EMPTY = new TelemetryBatch(List.of(), List.of(), List.of());

  public TelemetryBatch {
    spans = List.copyOf(spans);
    metrics = List.copyOf(metrics);
    logs = List.copyOf(logs);
  }

  public static TelemetryBatch ofSpans(List<SpanRecord> spans) {
    return new TelemetryBatch(spans, List.of(), List.of());
  }

  public int size() {
    return spans.size() + metrics.size() + logs.size();
  }
}
