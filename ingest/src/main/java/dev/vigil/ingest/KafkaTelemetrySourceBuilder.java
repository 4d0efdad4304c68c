package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Configures a {@link KafkaTelemetrySource}. Every setting is checked by {@link #build()}, which
 * names the offending parameter. Defaults: group {@value KafkaTelemetrySource#DEFAULT_GROUP_ID},
 * topics {@value KafkaTopics#OTLP_SPANS}, {@value KafkaTopics#OTLP_METRICS} and {@value
 * KafkaTopics#OTLP_LOGS}, dead-letter topic {@value KafkaTelemetrySource#DEFAULT_DLQ_TOPIC}, the
 * encoding detected per message, a {@link SimpleMeterRegistry}, {@link
 * KafkaTelemetrySource#DEFAULT_POLL_TIMEOUT}, {@code auto.offset.reset=earliest}, and the sink on
 * its own thread behind a queue of {@value KafkaTelemetrySource#DEFAULT_SINK_QUEUE_CAPACITY}
 * records.
 */
public final class KafkaTelemetrySourceBuilder {
  private static final Set<String> RESERVED_CONSUMER_KEYS =
      Set.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
  private static final Set<String> RESERVED_PRODUCER_KEYS =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  private String bootstrapServers;
  private String groupId = KafkaTelemetrySource.DEFAULT_GROUP_ID;
  private final Map<Signal, String> topics = new EnumMap<>(Signal.class);
  private String dlqTopic = KafkaTelemetrySource.DEFAULT_DLQ_TOPIC;
  private OtlpEncoding encoding;
  private MeterRegistry meterRegistry;
  private Duration pollTimeout = KafkaTelemetrySource.DEFAULT_POLL_TIMEOUT;
  private boolean pipelinedSink = true;
  private int sinkQueueCapacity = KafkaTelemetrySource.DEFAULT_SINK_QUEUE_CAPACITY;
  private final Map<String, Object> consumerProperties = new HashMap<>();
  private final Map<String, Object> producerProperties = new HashMap<>();

  KafkaTelemetrySourceBuilder() {
    topics.put(Signal.TRACES, KafkaTopics.OTLP_SPANS);
    topics.put(Signal.METRICS, KafkaTopics.OTLP_METRICS);
    topics.put(Signal.LOGS, KafkaTopics.OTLP_LOGS);
  }

  /** The cluster to read from and write dead letters to, {@code host:port[,host:port...]}. */
  public KafkaTelemetrySourceBuilder bootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  /** The consumer group; instances with the same group share the partitions. */
  public KafkaTelemetrySourceBuilder groupId(String groupId) {
    this.groupId = groupId;
    return this;
  }

  /** The topic to read {@code signal} from (enables the signal if it was disabled). */
  public KafkaTelemetrySourceBuilder topic(Signal signal, String topic) {
    topics.put(Objects.requireNonNull(signal, "signal"), topic);
    return this;
  }

  /** Stops reading {@code signal}. */
  public KafkaTelemetrySourceBuilder disable(Signal signal) {
    topics.remove(Objects.requireNonNull(signal, "signal"));
    return this;
  }

  /** The dead-letter topic. */
  public KafkaTelemetrySourceBuilder dlqTopic(String dlqTopic) {
    this.dlqTopic = dlqTopic;
    return this;
  }

  /** Decodes every message in {@code encoding} instead of detecting it per message. */
  public KafkaTelemetrySourceBuilder encoding(OtlpEncoding encoding) {
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    return this;
  }

  /** Detects the encoding of each message (the default). */
  public KafkaTelemetrySourceBuilder detectEncoding() {
    this.encoding = null;
    return this;
  }

  /** Where the ingest counters are registered. */
  public KafkaTelemetrySourceBuilder meterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  /** How long one poll waits for records; also bounds how quickly {@code close()} is noticed. */
  public KafkaTelemetrySourceBuilder pollTimeout(Duration pollTimeout) {
    this.pollTimeout = pollTimeout;
    return this;
  }

  /**
   * Whether the sink runs on a thread of its own (the default), so that decoding the next records
   * overlaps with the sink's work on the previous ones, or on the ingest thread. Either way the
   * sink is called by one thread, one record at a time, and offsets are committed only for records
   * it has finished; see {@link KafkaTelemetrySource} for the threading.
   */
  public KafkaTelemetrySourceBuilder pipelinedSink(boolean pipelinedSink) {
    this.pipelinedSink = pipelinedSink;
    return this;
  }

  /**
   * With a {@linkplain #pipelinedSink pipelined sink}, how many decoded records may wait for the
   * sink; the consumer stops polling while the queue is full.
   */
  public KafkaTelemetrySourceBuilder sinkQueueCapacity(int sinkQueueCapacity) {
    this.sinkQueueCapacity = sinkQueueCapacity;
    return this;
  }

  /**
   * An extra consumer setting (for example security or {@code max.poll.records}). The settings this
   * source owns (bootstrap servers, group id, auto commit, deserializers) are rejected.
   */
  public KafkaTelemetrySourceBuilder consumerProperty(String key, Object value) {
    consumerProperties.put(key, value);
    return this;
  }

  /** Extra consumer settings; see {@link #consumerProperty}. */
  public KafkaTelemetrySourceBuilder consumerProperties(Map<String, ?> properties) {
    consumerProperties.putAll(properties);
    return this;
  }

  /**
   * An extra setting of the dead-letter producer (for example security). Bootstrap servers, acks,
   * idempotence and serializers are owned by this source and rejected.
   */
  public KafkaTelemetrySourceBuilder producerProperty(String key, Object value) {
    producerProperties.put(key, value);
    return this;
  }

  /**
   * Checks the settings and creates the source (not yet started).
   *
   * @param sink receives the decoded records, on the sink thread (or the ingest thread)
   * @throws IllegalArgumentException naming the first invalid parameter
   */
  public KafkaTelemetrySource build(TelemetrySink sink) {
    check(sink != null, "sink must not be null");
    check(
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "bootstrapServers must not be blank");
    check(groupId != null && !groupId.isBlank(), "groupId must not be blank");
    check(!topics.isEmpty(), "at least one signal must be enabled (topic)");
    Set<String> seen = new HashSet<>();
    topics.forEach(
        (signal, topic) -> {
          TopicNames.check("topic(" + signal + ")", topic);
          check(seen.add(topic), "topic(" + signal + ") must differ from the other topics");
        });
    TopicNames.check("dlqTopic", dlqTopic);
    check(!seen.contains(dlqTopic), "dlqTopic must differ from the input topics");
    check(
        pollTimeout != null && !pollTimeout.isNegative() && !pollTimeout.isZero(),
        "pollTimeout must be positive");
    check(sinkQueueCapacity > 0, "sinkQueueCapacity must be greater than 0");
    checkKeys("consumerProperties", consumerProperties, RESERVED_CONSUMER_KEYS);
    checkKeys("producerProperties", producerProperties, RESERVED_PRODUCER_KEYS);
    return new KafkaTelemetrySource(
        new KafkaConsumer<>(
            consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer()),
        topics,
        dlqTopic,
        encoding,
        sink,
        meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry,
        pollTimeout,
        pipelinedSink ? sinkQueueCapacity : 0);
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putAll(consumerProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(producerProperties);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return config;
  }

  private static void checkKeys(String parameter, Map<String, Object> props, Set<String> reserved) {
    for (Map.Entry<String, Object> e : props.entrySet()) {
      check(e.getKey() != null && e.getValue() != null, parameter + " must not hold nulls");
      check(
          !reserved.contains(e.getKey()),
          parameter + " must not set " + e.getKey() + "; it is owned by KafkaTelemetrySource");
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
