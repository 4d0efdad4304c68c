package dev.vigil.trainingdata.sim;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the simulator's OTLP exporters share: one producer writing one record per export (value =
 * the OTLP protobuf bytes made by one of the SDK's marshalers, empty key), as the OpenTelemetry
 * Collector's kafka exporter does with {@code encoding: otlp_proto}, and counts of what the broker
 * took. {@link #shutdown} closes the producer once, so several providers may share an exporter.
 */
abstract class KafkaOtlpExporter {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong failedItems = new AtomicLong();

  KafkaOtlpExporter(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-simulator");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /** The OTLP protobuf bytes of an export request made by one of the SDK's marshalers. */
  static byte[] bytes(Marshaler marshaler) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
    try {
      marshaler.writeBinaryTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Sends one record holding {@code count} items (spans, metric points or log records); the result
   * completes when the broker acknowledges it.
   */
  final CompletableResultCode send(byte[] value, int count) {
    if (closed.get()) {
      failedItems.addAndGet(count);
      return CompletableResultCode.ofFailure();
    }
    CompletableResultCode result = new CompletableResultCode();
    producer.send(
        new ProducerRecord<>(topic, value),
        (metadata, error) -> {
          if (error == null) {
            records.incrementAndGet();
            items.addAndGet(count);
            result.succeed();
          } else {
            failedItems.addAndGet(count);
            result.failExceptionally(error);
          }
        });
    return result;
  }

  public final CompletableResultCode flush() {
    if (!closed.get()) {
      producer.flush();
    }
    return CompletableResultCode.ofSuccess();
  }

  public final CompletableResultCode shutdown() {
    if (closed.compareAndSet(false, true)) {
      producer.close(Duration.ofSeconds(30));
    }
    return CompletableResultCode.ofSuccess();
  }

  /** Records acknowledged by the broker. */
  public final long records() {
    return records.get();
  }

  final long items() {
    return items.get();
  }

  final long failedItems() {
    return failedItems.get();
  }
}
