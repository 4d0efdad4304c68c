package dev.vigil.service.pipeline;

import dev.vigil.models.Anomaly;
import dev.vigil.rca.Incident;
import dev.vigil.service.Json;
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
 * Publishes anomalies, alerts and incidents as JSON to Kafka topics, keyed by service (anomalies,
 * alerts) or incident id, so that consumers see each key's events in order.
 */
public final class KafkaEventPublisher implements PipelineListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String anomalies;
  private final String alerts;
  private final String incidents;

  public KafkaEventPublisher(
      String bootstrapServers, String anomalies, String alerts, String incidents) {
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
  }

  @Override
  public void onAnomaly(Anomaly a) {
    send(anomalies, a.service(), a);
  }

  @Override
  public void onAlert(Alert a) {
    send(alerts, a.service(), a);
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
            log.warn("could not publish to {}: {}", topic, e.toString());
          }
        });
  }

  @Override
  public void close() {
    producer.close();
  }
}
