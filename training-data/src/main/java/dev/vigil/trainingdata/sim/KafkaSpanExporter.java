package dev.vigil.trainingdata.sim;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes spans to a Kafka topic as the OpenTelemetry Collector's kafka exporter does with {@code
 * encoding: otlp_proto}: one record per export batch, value = {@code ExportTraceServiceRequest}
 * protobuf bytes (the same bytes as {@code TracesData}), empty key.
 *
 * <p>The bytes are made by the SDK's own OTLP marshaler (the one its OTLP exporters use), so they
 * are exactly what an SDK sends on the wire. Shared by several tracer providers: {@link #shutdown}
 * closes the producer once.
 */
public final class KafkaSpanExporter implements SpanExporter {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong failedSpans = new AtomicLong();

  public KafkaSpanExporter(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-simulator");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    if (closed.get()) {
      failedSpans.addAndGet(batch.size());
      return CompletableResultCode.ofFailure();
    }
    byte[] value = marshal(batch);
    CompletableResultCode result = new CompletableResultCode();
    int n = batch.size();
    producer.send(
        new ProducerRecord<>(topic, value),
        (metadata, error) -> {
          if (error == null) {
            records.incrementAndGet();
            spans.addAndGet(n);
            result.succeed();
          } else {
            failedSpans.addAndGet(n);
            result.failExceptionally(error);
          }
        });
    return result;
  }

  /** OTLP protobuf bytes of an {@code ExportTraceServiceRequest} holding the spans. */
  public static byte[] marshal(Collection<SpanData> batch) {
    TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(batch);
    ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
    try {
      marshaler.writeBinaryTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public CompletableResultCode flush() {
    if (!closed.get()) {
      producer.flush();
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    if (closed.compareAndSet(false, true)) {
      producer.close(Duration.ofSeconds(30));
    }
    return CompletableResultCode.ofSuccess();
  }

  /** Records acknowledged by the broker. */
  public long records() {
    return records.get();
  }

  /** Spans acknowledged by the broker. */
  public long spans() {
    return spans.get();
  }

  /** Spans whose record the broker did not take. */
  public long failedSpans() {
    return failedSpans.get();
  }
}
