package dev.vigil.service.pipeline;

import dev.vigil.ingest.TelemetrySink;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.trainingdata.sim.KafkaLogExporter;
import dev.vigil.trainingdata.sim.KafkaMetricExporter;
import dev.vigil.trainingdata.sim.OtlpBytesSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's three exporters writing straight into a sink in this process: each export is made
 * into the OTLP protobuf bytes a Kafka record would carry and decoded by Vigil's decoder, as the
 * Kafka source does, without a broker. For evaluations and tests that need the whole pipeline
 * quickly; the demo goes through Kafka. Remembers every trace id it passed on, so answers can be
 * checked to cite traces that exist.
 */
public final class SimulatorFeed {
  private final TelemetrySink sink;
  private final Set<String> traceIds = ConcurrentHashMap.newKeySet();

  public SimulatorFeed(TelemetrySink sink) {
    this.sink = sink;
  }

  public Set<String> traceIds() {
    return Set.copyOf(traceIds);
  }

  public boolean hasTrace(String id) {
    return traceIds.contains(id);
  }

  private synchronized CompletableResultCode deliver(Signal signal, byte[] bytes) {
    TelemetryBatch batch;
    try {
      batch = OtlpDecoder.decode(signal, bytes);
    } catch (OtlpDecodeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    if (signal == Signal.TRACES) {
      for (SpanRecord s : batch.spans()) {
        traceIds.add(s.traceId());
      }
    }
    sink.accept(signal, batch);
    return CompletableResultCode.ofSuccess();
  }

  public SpanExporter spans() {
    return new OtlpBytesSpanExporter((otlp, spans) -> deliver(Signal.TRACES, otlp));
  }

  public MetricExporter metrics() {
    return new MetricExporter() {
      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
      }

      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return deliver(Signal.METRICS, KafkaMetricExporter.marshal(metrics));
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  public LogRecordExporter logs() {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return deliver(Signal.LOGS, KafkaLogExporter.marshal(logs));
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
