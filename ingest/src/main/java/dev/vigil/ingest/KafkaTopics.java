package dev.vigil.ingest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Vigil's default topic names and an idempotent way to create topics. */
public final class KafkaTopics {
  /** Spans from the OpenTelemetry Collector's kafka exporter. */
  public static final String OTLP_SPANS = "otlp_spans";

  /** Metrics from the OpenTelemetry Collector's kafka exporter. */
  public static final String OTLP_METRICS = "otlp_metrics";

  /** Logs from the OpenTelemetry Collector's kafka exporter. */
  public static final String OTLP_LOGS = "otlp_logs";

  /** Messages that could not be ingested: original bytes plus {@code vigil.dlq.*} headers. */
  public static final String DLQ = "vigil.dlq";

  /** Scored anomalies. */
  public static final String ANOMALIES = "vigil.anomalies";

  /** Incidents with ranked root causes. */
  public static final String INCIDENTS = "vigil.incidents";

  /** Alert lifecycle events. */
  public static final String ALERTS = "vigil.alerts";

  /** How long {@link #ensure} waits for the cluster. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  private KafkaTopics() {}

  /**
   * Creates the topics that do not exist yet; existing topics are left as they are.
   *
   * @param bootstrapServers the cluster, {@code host:port[,host:port...]}
   * @param topics the topic names
   * @param partitions partitions of each created topic, at least 1
   * @param replication replication factor of each created topic, at least 1
   * @throws KafkaException if the cluster cannot be reached or refuses a topic
   */
  public static void ensure(
      String bootstrapServers, Collection<String> topics, int partitions, short replication) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must not be blank");
    }
    if (topics == null || topics.isEmpty()) {
      throw new IllegalArgumentException("topics must not be empty");
    }
    for (String topic : topics) {
      TopicNames.check("topics", topic);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    if (replication < 1) {
      throw new IllegalArgumentException("replication must be at least 1, got " + replication);
    }
    List<NewTopic> newTopics =
        topics.stream().distinct().map(t -> new NewTopic(t, partitions, replication)).toList();
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) DEFAULT_TIMEOUT_MS);
    try (Admin admin = Admin.create(config)) {
      for (Map.Entry<String, KafkaFuture<Void>> e :
          admin.createTopics(newTopics).values().entrySet()) {
        await(e.getKey(), e.getValue());
      }
    }
  }

  private static void await(String topic, KafkaFuture<Void> creation) {
    try {
      creation.get(DEFAULT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new KafkaException("could not create topic " + topic, e.getCause());
      }
    } catch (TimeoutException e) {
      throw new KafkaException("timed out creating topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while creating topic " + topic, e);
    }
  }
}
