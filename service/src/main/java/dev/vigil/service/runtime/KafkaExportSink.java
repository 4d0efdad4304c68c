package dev.vigil.service.runtime;

import dev.vigil.ingest.TelemetrySink;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Forwards OTLP/HTTP exports to the Kafka topics the service reads, as the Collector's kafka
 * exporter would: the export's bytes as received, to the signal's topic, acknowledged by the
 * brokers before the client is answered. So every instance's receiver feeds the one topology, and
 * its records are decoded, dead-lettered and counted there like any other.
 */
final class KafkaExportSink implements TelemetrySink, AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<Signal, String> topics;

  KafkaExportSink(
      String bootstrap, Map<String, String> clientProperties, Map<Signal, String> topics) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-otlp-http");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topics = Map.copyOf(topics);
  }

  @Override
  public void accept(Signal signal, TelemetryBatch batch) {
    throw new UnsupportedOperationException("exports are forwarded with their bytes");
  }

  @Override
  public void acceptExport(
      Signal signal, TelemetryBatch batch, byte[] payload, OtlpEncoding encoding, String lane) {
    try {
      producer.send(new ProducerRecord<>(topics.get(signal), payload)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka refused the export: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not acknowledge the export within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
