package dev.vigil.service.pipeline;

import dev.vigil.models.Anomaly;
import dev.vigil.rca.Incident;
import dev.vigil.service.Json;
import dev.vigil.service.alerting.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes anomalies, alerts and incidents as JSON to Kafka topics: anomalies keyed by service,
 * alerts by alert id and incidents by incident id (each report whole: status, root causes with
 * their evidence, affected services), so that consumers see each key's reports in order and a
 * compacted topic keeps the latest. Silenced alerts are published too, marked silenced: the topic
 * is the record, not a page. Never blocks the pipeline: sends are asynchronous, and failures are
 * counted in {@code vigil.sinks.kafka.failures} and logged.
 */
public final class KafkaEventPublisher implements PipelineListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String anomalies;
  private final String alerts;
  private final String incidents;
  private final Counter failures;

  public KafkaEventPublisher(
      String bootstrapServers, String anomalies, String alerts, String incidents) {
    this(bootstrapServers, anomalies, alerts, incidents, new CompositeMeterRegistry());
  }

  public KafkaEventPublisher(
      String bootstrapServers,
      String anomalies,
      String alerts,
      String incidents,
      MeterRegistry registry) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-events");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.anomalies = anomalies;
    this.alerts = alerts;
    this.incidents = incidents;
    this.failures = registry.counter("vigil.sinks.kafka.failures");
  }

  @Override
  public void onAnomaly(Anomaly a) {
    send(anomalies, a.service(), a);
  }

  @Override
  public void onAlert(Alert a) {
    send(alerts, a.id(), a);
  }

  @Override
  public void onIncident(Incident i) {
    send(incidents, i.id(), i);
  }

  private void send(String topic, String key, Object value) {
    producer.send(
        new ProducerRecord<>(topic, key, Json.write(value).getBytes(StandardCharsets.UTF_8)),
        (md, e) -> {
          if (e != null) {
            failures.increment();
            log.warn("could not publish to {}: {}", topic, e.toString());
          }
        });
  }

  @Override
  public void close() {
    producer.close();
  }
}
