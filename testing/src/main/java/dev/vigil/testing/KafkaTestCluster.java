package dev.vigil.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, one combined broker and controller) in this process, for
 * integration tests and the benchmark harness. Built on {@link KafkaClusterTestKit}; internal
 * topics have one replica and one partition, and topics are never created automatically.
 *
 * <pre>{@code
 * try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
 *   kafka.createTopics(2, "otlp_spans", "vigil.dlq");
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 */
public final class KafkaTestCluster implements AutoCloseable {
  private static final short REPLICATION = 1;

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;

  private KafkaTestCluster(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /** Starts a cluster with the default broker configuration; see {@link Builder}. */
  public static KafkaTestCluster start() throws Exception {
    return builder().start();
  }

  /** A builder for a cluster with broker configuration beyond the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@code bootstrap.servers} to give clients. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates topics with {@code partitions} partitions and one replica each, and waits until the
   * broker has created them.
   */
  /** A producer of raw bytes to this cluster that waits for every replica ({@code acks=all}). */
  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** The last value of a record header as UTF-8 text, or null when the record has none. */
  public static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  public void createTopics(int partitions, String... topics)
      throws InterruptedException, ExecutionException {
    createTopics(partitions, Map.of(), topics);
  }

  /**
   * Creates topics with {@code partitions} partitions, one replica and the topic {@code configs}
   * (for example {@code max.message.bytes}), and waits until the broker has created them.
   */
  public void createTopics(int partitions, Map<String, String> configs, String... topics)
      throws InterruptedException, ExecutionException {
    List<NewTopic> create = new ArrayList<>();
    for (String topic : topics) {
      create.add(new NewTopic(topic, partitions, REPLICATION).configs(configs));
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(create).all().get();
    }
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() throws Exception {
    cluster.close();
  }

  /** Broker configuration for {@link KafkaTestCluster}. */
  public static final class Builder {
    private final Map<String, String> configs = new LinkedHashMap<>();

    private Builder() {
      configs.put("offsets.topic.replication.factor", "1");
      configs.put("offsets.topic.num.partitions", "1");
      configs.put("transaction.state.log.replication.factor", "1");
      configs.put("transaction.state.log.min.isr", "1");
      configs.put("auto.create.topics.enable", "false");
    }

    /**
     * Consumer groups rebalance as soon as a member joins ({@code
     * group.initial.rebalance.delay.ms=0}) instead of after the broker's default delay of 3 s.
     */
    public Builder noInitialRebalanceDelay() {
      return config("group.initial.rebalance.delay.ms", "0");
    }

    /** Sets (or overrides) one broker configuration property. */
    public Builder config(String key, String value) {
      configs.put(key, value);
      return this;
    }

    /** Formats the log directories, starts the node and waits until the broker is ready. */
    public KafkaTestCluster start() throws Exception {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      configs.forEach(builder::setConfigProp);
      KafkaClusterTestKit cluster = builder.build();
      try {
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaTestCluster(cluster);
      } catch (Exception | Error e) {
        try {
          cluster.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
