package dev.vigil.trainingdata.sim;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Hands each export batch on as the OTLP protobuf bytes a Kafka record would carry ({@link
 * KafkaSpanExporter#marshal}), to a sink in the same process: the demo's in-process feed, the
 * benchmarks' collectors. Exports are passed on one at a time and the sink's result is the
 * export's; flush and shutdown have nothing to do.
 */
public final class OtlpBytesSpanExporter implements SpanExporter {
  /** Receives one export batch. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param otlp an {@code ExportTraceServiceRequest} protobuf
     * @param spans the number of spans in it
     * @return the export's result
     */
    CompletableResultCode accept(byte[] otlp, int spans);
  }

  private final Sink sink;

  public OtlpBytesSpanExporter(Sink sink) {
    this.sink = sink;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    return sink.accept(KafkaSpanExporter.marshal(batch), batch.size());
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
