package dev.vigil.trainingdata.sim;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Writes spans to a Kafka topic as the OpenTelemetry Collector's kafka exporter does with {@code
 * encoding: otlp_proto}: one record per export batch, value = {@code ExportTraceServiceRequest}
 * protobuf bytes (the same bytes as {@code TracesData}), empty key.
 *
 * <p>The bytes are made by the SDK's own OTLP marshaler (the one its OTLP exporters use), so they
 * are exactly what an SDK sends on the wire. Shared by several tracer providers: {@link #shutdown}
 * closes the producer once.
 */
public final class KafkaSpanExporter extends KafkaOtlpExporter implements SpanExporter {
  public KafkaSpanExporter(String bootstrapServers, String topic) {
    super(bootstrapServers, topic);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    return send(marshal(batch), batch.size());
  }

  /** OTLP protobuf bytes of an {@code ExportTraceServiceRequest} holding the spans. */
  public static byte[] marshal(Collection<SpanData> batch) {
    return bytes(TraceRequestMarshaler.create(batch));
  }

  /** Spans acknowledged by the broker. */
  public long spans() {
    return items();
  }

  /** Spans whose record the broker did not take. */
  public long failedSpans() {
    return failedItems();
  }
}
