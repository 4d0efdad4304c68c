package dev.vigil.service.models;

import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.registry.ModelRecords;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@link ModelRegistry} in a compacted Kafka topic ({@code vigil.models}): one record per promoted
 * version, key = the service (UTF-8), value = the {@link ModelRecords} JSON (the same document as a
 * registry directory's {@code v<N>.json}). Compaction keeps the newest record of each service, the
 * model in use; a tombstone (null value) withdraws a service's model.
 *
 * <p>Reading: the partitions are assigned by hand (no consumer group) and read from the beginning;
 * each {@link #current()} reads what was appended since, up to the end offsets of that moment. The
 * newest readable record of a service wins; one that cannot be read (a newer format, a record of
 * another service under this key, corrupt JSON) is reported in {@link #problems()} with its offset
 * and the version before it stays in use. {@link #promote} reads to the end first and writes the
 * next version number of the service, waiting for every in-sync replica.
 *
 * <p>The topic is created when missing: compacted, one partition (a registry holds one record per
 * service), and {@value #MAX_RECORD_BYTES} bytes per record (a forest's state is a few megabytes of
 * JSON; records are zstd-compressed). Thread-safe; close it to release its clients.
 */
final class KafkaModelRegistry implements ModelRegistry, AutoCloseable {
  static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> client;
  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, RegisteredModel> models = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<String> topicProblems = new ArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;
  private List<TopicPartition> partitions;

  private KafkaModelRegistry(Map<String, Object> client, String topic) {
    this.client = Map.copyOf(client);
    this.topic = topic;
    Map<String, Object> c = new HashMap<>(client);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-models");
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Opens the registry in {@code topic}, creating the topic (compacted) when it does not exist.
   *
   * @param client Kafka client properties with {@code bootstrap.servers}
   * @param replication replication of the topic if it is created; -1 for the broker's default
   * @throws KafkaException if the cluster cannot be reached or refuses the topic
   */
  static KafkaModelRegistry open(Map<String, Object> client, String topic, short replication) {
    List<String> warnings = ensureTopic(client, topic, replication);
    KafkaModelRegistry r = new KafkaModelRegistry(client, topic);
    r.topicProblems.addAll(warnings);
    return r;
  }

  private static List<String> ensureTopic(
      Map<String, Object> client, String topic, short replication) {
    NewTopic t =
        new NewTopic(
                topic,
                Optional.of(1),
                replication < 1 ? Optional.empty() : Optional.of(replication))
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(MAX_RECORD_BYTES)));
    try (Admin admin = Admin.create(client)) {
      try {
        admin.createTopics(List.of(t)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return List.of();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaException("cannot create the model topic " + topic, e.getCause());
        }
      }
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          admin
              .describeConfigs(List.of(res))
              .all()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .get(res);
      String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      return policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
          ? List.of()
          : List.of(
              "topic "
                  + topic
                  + " has cleanup.policy="
                  + policy
                  + ", not compact: retention may delete the models in use; set"
                  + " cleanup.policy=compact on it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while creating " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("cannot create or describe the model topic " + topic, e);
    }
  }

  @Override
  public synchronized List<RegisteredModel> current() {
    problems.clear();
    problems.addAll(topicProblems);
    catchUp();
    return List.copyOf(models.values());
  }

  @Override
  public synchronized Optional<RegisteredModel> current(String service) {
    current();
    return Optional.ofNullable(models.get(service));
  }

  @Override
  public synchronized RegisteredModel promote(RegisteredModel model) {
    catchUp();
    RegisteredModel in = models.get(model.service());
    RegisteredModel stored = model.withVersion(in == null ? 1 : in.version() + 1);
    if (producer == null) {
      Map<String, Object> p = new HashMap<>(client);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
      p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "vigil-retrain-promote");
      producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  model.service().getBytes(StandardCharsets.UTF_8),
                  ModelRecords.toBytes(stored)))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while promoting " + stored.describe(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("cannot write " + stored.describe() + " to " + topic, e);
    }
    catchUp();
    return stored;
  }

  @Override
  public synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** Reads what was appended since the last read, up to the end offsets of now. */
  private void catchUp() {
    if (partitions == null) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new KafkaException("the model topic " + topic + " does not exist");
      }
      partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp, TIMEOUT) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new KafkaException(
            "reading the model topic " + topic + " did not reach its end in " + TIMEOUT);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        fold(r);
      }
    }
  }

  private void fold(ConsumerRecord<byte[], byte[]> r) {
    String where = topic + " partition " + r.partition() + " offset " + r.offset();
    if (r.key() == null) {
      problems.add(where + " has no key (the key is the service); skipped");
      return;
    }
    String service = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      models.remove(service);
      return;
    }
    try {
      RegisteredModel m = ModelRecords.fromBytes(r.value(), where);
      if (!m.service().equals(service)) {
        throw new IncompatibleModelException(
            where + " holds a model of '" + m.service() + "' under the key '" + service + "'");
      }
      models.put(service, m);
    } catch (IncompatibleModelException e) {
      problems.add(e.getMessage() + "; the version before it stays in use");
    } catch (RuntimeException e) {
      problems.add(where + " cannot be read: " + e + "; the version before it stays in use");
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(TIMEOUT);
    if (producer != null) {
      producer.close(TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "kafka topic " + topic;
  }
}
