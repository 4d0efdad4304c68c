package dev.vigil.trainingdata.sim;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Exporters for the three signals that keep each export as the OTLP protobuf bytes a Kafka record
 * would carry, and decode them with Vigil's own decoder.
 */
final class OtlpCollector {
  final List<byte[]> spanRecords = new ArrayList<>();
  final List<byte[]> metricRecords = new ArrayList<>();
  final List<byte[]> logRecords = new ArrayList<>();
  int shutdowns;

  final SpanExporter spans = new Spans();
  final MetricExporter metrics = new Metrics();
  final LogRecordExporter logs = new Logs();

  /** Flush and shutdown, the same for the three exporters. */
  private abstract class Collecting {
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    public CompletableResultCode shutdown() {
      return shut();
    }
  }

  private final class Spans extends Collecting implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      return keep(spanRecords, KafkaSpanExporter.marshal(batch));
    }
  }

  private final class Metrics extends Collecting implements MetricExporter {
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> batch) {
      return keep(metricRecords, KafkaMetricExporter.marshal(batch));
    }
  }

  private final class Logs extends Collecting implements LogRecordExporter {
    @Override
    public CompletableResultCode export(Collection<LogRecordData> batch) {
      return keep(logRecords, KafkaLogExporter.marshal(batch));
    }
  }

  private synchronized CompletableResultCode keep(List<byte[]> records, byte[] value) {
    records.add(value);
    return CompletableResultCode.ofSuccess();
  }

  private synchronized CompletableResultCode shut() {
    shutdowns++;
    return CompletableResultCode.ofSuccess();
  }

  synchronized List<SpanRecord> spans() throws OtlpDecodeException {
    List<SpanRecord> out = new ArrayList<>();
    for (byte[] r : spanRecords) {
      out.addAll(OtlpDecoder.decode(Signal.TRACES, r).spans());
    }
    return out;
  }

  /** The points of each metric export, one list an export. */
  synchronized List<List<MetricPoint>> metricExports() throws OtlpDecodeException {
    List<List<MetricPoint>> out = new ArrayList<>();
    for (byte[] r : metricRecords) {
      out.add(OtlpDecoder.decode(Signal.METRICS, r).metrics());
    }
    return out;
  }

  synchronized List<LogEntry> logs() throws OtlpDecodeException {
    List<LogEntry> out = new ArrayList<>();
    for (byte[] r : logRecords) {
      out.addAll(OtlpDecoder.decode(Signal.LOGS, r).logs());
    }
    return out;
  }
}
