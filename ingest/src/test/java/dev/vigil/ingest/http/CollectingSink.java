package dev.vigil.ingest.http;

import dev.vigil.ingest.TelemetrySink;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects what a receiver hands on, from any thread. */
final class CollectingSink implements TelemetrySink {
  final Queue<SpanRecord> spans = new ConcurrentLinkedQueue<>();
  final Queue<MetricPoint> metrics = new ConcurrentLinkedQueue<>();
  final Queue<LogEntry> logs = new ConcurrentLinkedQueue<>();
  final Queue<String> lanes = new ConcurrentLinkedQueue<>();

  @Override
  public void accept(Signal signal, TelemetryBatch batch) {
    accept(signal, batch, "");
  }

  @Override
  public void accept(Signal signal, TelemetryBatch batch, String lane) {
    switch (signal) {
      case TRACES -> spans.addAll(batch.spans());
      case METRICS -> metrics.addAll(batch.metrics());
      case LOGS -> logs.addAll(batch.logs());
    }
    lanes.add(lane);
  }
}
