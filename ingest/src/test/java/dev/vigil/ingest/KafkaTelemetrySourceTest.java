package dev.vigil.ingest;

import static dev.vigil.ingest.IngestMeters.deadLetters;
import static dev.vigil.ingest.IngestMeters.records;
import static dev.vigil.testing.KafkaTestCluster.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.testing.KafkaTestCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs {@link KafkaTelemetrySource} against a real single-node KRaft broker. */
@Tag("integration")
class KafkaTelemetrySourceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String BOMB = "sink-bomb";

  private static KafkaTestCluster cluster;
  private static String bootstrap;

  private final OtlpFixtures fixtures = new OtlpFixtures();

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = KafkaTestCluster.builder().noInitialRebalanceDelay().start();
    bootstrap = cluster.bootstrapServers();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "pipelined sink {0}")
  @ValueSource(booleans = {true, false})
  void deliversValidSpansDeadLettersBadRecordsAndKeepsGoing(boolean pipelined) throws Exception {
    String topic = pipelined ? KafkaTopics.OTLP_SPANS : KafkaTopics.OTLP_SPANS + "_direct";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    OtlpFixtures.Message first = fixtures.protobuf("cart", 3);
    OtlpFixtures.Message second = fixtures.protobuf("cart", 2);
    OtlpFixtures.Message json = fixtures.json("checkout", 2);
    byte[] truncated = Arrays.copyOf(fixtures.protobuf("cart", 3).bytes(), 40);
    byte[] random = new byte[64];
    new Random(7).nextBytes(random);
    random[0] = (byte) 0xFF; // an unterminated varint tag: never valid protobuf, never JSON
    OtlpFixtures.Message afterBad = fixtures.protobuf("payment", 4);
    OtlpFixtures.Message bomb = fixtures.protobuf(BOMB, 1);
    OtlpFixtures.Message lastJson = fixtures.json("checkout", 1);
    OtlpFixtures.Message last = fixtures.protobuf("cart", 2);

    List<Long> offsets = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      offsets.add(send(producer, topic, new byte[0], first.bytes()));
      offsets.add(send(producer, topic, utf8(second.traceId()), second.bytes()));
      offsets.add(send(producer, topic, utf8(json.traceId()), json.bytes()));
      offsets.add(send(producer, topic, new byte[0], truncated));
      offsets.add(send(producer, topic, null, random));
      offsets.add(send(producer, topic, utf8("k5"), OtlpFixtures.jsonWithBase64Ids()));
      offsets.add(send(producer, topic, utf8("k6"), new byte[0]));
      offsets.add(send(producer, topic, utf8(afterBad.traceId()), afterBad.bytes()));
      offsets.add(send(producer, topic, utf8(bomb.traceId()), bomb.bytes()));
      offsets.add(send(producer, topic, new byte[0], lastJson.bytes()));
      offsets.add(send(producer, topic, new byte[0], last.bytes()));
    }

    CollectingSink sink = new CollectingSink();
    MeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaTelemetrySource source =
        spansOnly(KafkaTelemetrySource.builder(), topic, "ingest-test-" + pipelined)
            .pipelinedSink(pipelined)
            .meterRegistry(registry)
            .build(sink)) {
      source.start();
      assertThat(source.awaitCaughtUp(TIMEOUT)).as("caught up").isTrue();
    }

    List<String> expected = new ArrayList<>();
    for (OtlpFixtures.Message m : List.of(first, second, json, afterBad, lastJson, last)) {
      expected.addAll(m.spanIds());
    }
    assertThat(sink.spans).extracting(SpanRecord::spanId).containsExactlyElementsOf(expected);
    assertThat(sink.spans)
        .filteredOn(s -> s.spanId().equals(json.spanIds().get(0)))
        .singleElement()
        .satisfies(s -> assertThat(s.traceId()).isEqualTo(json.traceId()));

    assertThat(records(registry, "accepted")).isEqualTo(6);
    assertThat(records(registry, "dead_letter")).isEqualTo(5);
    assertThat(registry.get(IngestMetrics.ITEMS).tag("signal", "traces").counter().count())
        .isEqualTo(expected.size());
    assertThat(deadLetters(registry, OtlpDecodeException.MALFORMED_PROTOBUF)).isEqualTo(2);
    assertThat(deadLetters(registry, OtlpDecodeException.INVALID_TRACE_ID)).isEqualTo(1);
    assertThat(deadLetters(registry, OtlpDecodeException.EMPTY_MESSAGE)).isEqualTo(1);
    assertThat(deadLetters(registry, DeadLetters.SINK_ERROR)).isEqualTo(1);

    Map<Long, ConsumerRecord<byte[], byte[]>> dlq = readDeadLetters(KafkaTopics.DLQ, topic, 5);
    assertDeadLetter(topic, dlq, offsets.get(3), new byte[0], truncated, "malformed_protobuf");
    assertDeadLetter(topic, dlq, offsets.get(4), null, random, "malformed_protobuf");
    assertDeadLetter(
        topic,
        dlq,
        offsets.get(5),
        utf8("k5"),
        OtlpFixtures.jsonWithBase64Ids(),
        "invalid_trace_id");
    assertDeadLetter(topic, dlq, offsets.get(6), utf8("k6"), new byte[0], "empty_message");
    assertDeadLetter(topic, dlq, offsets.get(8), utf8(bomb.traceId()), bomb.bytes(), "sink_error");
    assertThat(header(dlq.get(offsets.get(3)), "origin")).isEqualTo("fixture");
    assertThat(header(dlq.get(offsets.get(5)), DeadLetters.MESSAGE)).contains("trace id");
  }

  @Test
  void commitsOffsetsSoTheSameGroupResumesAfterThem() throws Exception {
    String topic = "otlp_spans_commit";
    String group = "commit-test";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 3; i++) {
        send(producer, topic, new byte[0], fixtures.protobuf("cart", 2).bytes());
      }
    }
    CollectingSink firstSink = new CollectingSink();
    try (KafkaTelemetrySource source =
        spansOnly(KafkaTelemetrySource.builder(), topic, group).build(firstSink)) {
      source.start();
      Await.until("3 records arrive", TIMEOUT, () -> firstSink.calls.size() >= 3);
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      assertThat(committed.get(new TopicPartition(topic, 0)).offset()).isEqualTo(3);
    }

    OtlpFixtures.Message marker = fixtures.protobuf("cart", 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, topic, new byte[0], marker.bytes());
    }
    CollectingSink secondSink = new CollectingSink();
    KafkaTelemetrySource again =
        spansOnly(KafkaTelemetrySource.builder(), topic, group).build(secondSink);
    try (again) {
      Await.until(
          "the new record arrives",
          TIMEOUT,
          () -> {
            again.pollOnce();
            return !secondSink.calls.isEmpty();
          });
      assertThat(again.pollOnce()).isZero();
    }
    assertThat(secondSink.spans).extracting(SpanRecord::spanId).isEqualTo(marker.spanIds());
  }

  @Test
  void hostileCorpusIsDeadLetteredOrPartlyAcceptedAndTheRecordsAroundItAreAllCounted()
      throws Exception {
    Map<Signal, String> topics =
        Map.of(
            Signal.TRACES,
            "corpus_spans",
            Signal.METRICS,
            "corpus_metrics",
            Signal.LOGS,
            "corpus_logs");
    String dlqTopic = "corpus_dlq";
    cluster.createTopics(
        1, Map.of("max.message.bytes", "16777216"), topics.values().toArray(String[]::new));
    cluster.createTopics(1, dlqTopic);
    List<HostileCorpus.Case> cases =
        HostileCorpus.cases().stream().filter(HostileCorpus.Case::throughKafka).toList();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
    Map<String, HostileCorpus.Case> byOffset = new HashMap<>();
    int valid = 0;
    long hugeOffset;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                16 * 1024 * 1024),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (HostileCorpus.Case c : cases) {
        String topic = topics.get(c.signal());
        long offset = send(producer, topic, utf8(c.name()), c.body());
        byOffset.put(topic + "@" + offset, c);
        send(producer, "corpus_spans", new byte[0], HostileCorpus.valid(++valid, 3));
      }
      // Garbage larger than the dead-letter topic takes (1 MiB by default): must not wedge the
      // stream; its dead letter goes without the value.
      byte[] huge = new byte[3 * 1024 * 1024];
      Arrays.fill(huge, (byte) 0xFF);
      hugeOffset = send(producer, "corpus_spans", utf8("huge"), huge);
      send(producer, "corpus_spans", new byte[0], HostileCorpus.valid(++valid, 3));
    }

    Map<Signal, Integer> items = new java.util.concurrent.ConcurrentHashMap<>();
    Queue<SpanRecord> spans = new ConcurrentLinkedQueue<>();
    MeterRegistry registry = new SimpleMeterRegistry();
    KafkaTelemetrySourceBuilder builder =
        KafkaTelemetrySource.builder()
            .bootstrapServers(bootstrap)
            .groupId("corpus")
            .dlqTopic(dlqTopic)
            .pollTimeout(Duration.ofMillis(100))
            .meterRegistry(registry);
    topics.forEach(builder::topic);
    try (KafkaTelemetrySource source =
        builder.build(
            (signal, batch) -> {
              items.merge(signal, batch.size(), Integer::sum);
              spans.addAll(batch.spans());
            })) {
      source.start();
      assertThat(source.awaitCaughtUp(TIMEOUT)).as("caught up").isTrue();
    }

    // Every valid record around the hostile ones is counted, and so are the valid items of the
    // corpus, those of partly invalid records included.
    assertThat(spans.stream().filter(sp -> sp.service().equals("valid"))).hasSize(3 * valid);
    for (Signal signal : Signal.values()) {
      int expected =
          cases.stream()
              .filter(c -> c.signal() == signal)
              .mapToInt(HostileCorpus.Case::kafkaItems)
              .sum();
      int expectedValid = signal == Signal.TRACES ? 3 * valid : 0;
      assertThat(items.getOrDefault(signal, 0))
          .as("%s items", signal)
          .isEqualTo(expected + expectedValid);
    }
    assertThat(cases)
        .as("cases with valid and invalid items")
        .anyMatch(c -> c.kafkaItems() > 0 && c.kafkaRejected() > 0);
    // Every record with a bad part is in the dead-letter topic with its original bytes and reason.
    List<HostileCorpus.Case> dead = cases.stream().filter(c -> c.kafkaReason() != null).toList();
    Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition dlq = new TopicPartition(dlqTopic, 0);
      consumer.assign(List.of(dlq));
      consumer.seekToBeginning(List.of(dlq));
      Await.until(
          dead.size() + 1 + " dead letters are readable",
          TIMEOUT,
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
              letters.put(header(r, DeadLetters.TOPIC) + "@" + header(r, DeadLetters.OFFSET), r);
            }
            return letters.size() >= dead.size() + 1;
          });
    }
    ConsumerRecord<byte[], byte[]> hugeLetter = letters.remove("corpus_spans@" + hugeOffset);
    assertThat(hugeLetter.value()).isNull();
    assertThat(hugeLetter.key()).isEqualTo(utf8("huge"));
    assertThat(header(hugeLetter, DeadLetters.REASON)).isEqualTo("malformed_protobuf");
    assertThat(header(hugeLetter, DeadLetters.VALUE_BYTES)).isEqualTo("3145728");
    assertThat(letters).hasSize(dead.size());
    letters.forEach(
        (where, r) -> {
          HostileCorpus.Case c = byOffset.get(where);
          assertThat(c).as("dead letter %s", where).isNotNull();
          assertThat(r.value()).as(c.name()).isEqualTo(c.body());
          assertThat(r.key()).isEqualTo(utf8(c.name()));
          assertThat(header(r, DeadLetters.REASON)).as(c.name()).isEqualTo(c.kafkaReason());
          assertPartialHeaders(r, c);
        });
    Map<String, Long> byReason =
        dead.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    HostileCorpus.Case::kafkaReason, java.util.stream.Collectors.counting()));
    byReason.forEach(
        (reason, n) ->
            assertThat(
                    registry
                        .get(IngestMetrics.DEAD_LETTERS)
                        .tag("source", "kafka")
                        .tag("reason", reason)
                        .counter()
                        .count())
                .as(reason)
                .isEqualTo(n.doubleValue() + (reason.equals("malformed_protobuf") ? 1 : 0)));
    // Rejected items are counted by signal and reason, as the OTLP/HTTP receiver counts them.
    Map<List<String>, Integer> rejected = new HashMap<>();
    for (HostileCorpus.Case c : dead) {
      if (c.kafkaRejected() > 0) {
        rejected.merge(
            List.of(IngestMetrics.tag(c.signal()), c.kafkaReason()),
            c.kafkaRejected(),
            Integer::sum);
      }
    }
    assertThat(registry.find(IngestMetrics.REJECTED_ITEMS).counters()).hasSize(rejected.size());
    rejected.forEach(
        (signalAndReason, n) ->
            assertThat(
                    registry
                        .get(IngestMetrics.REJECTED_ITEMS)
                        .tag("source", "kafka")
                        .tag("signal", signalAndReason.get(0))
                        .tag("reason", signalAndReason.get(1))
                        .counter()
                        .count())
                .as("rejected items %s", signalAndReason)
                .isEqualTo(n.doubleValue()));
  }

  @Test
  void deliversTheValidSpansOfARecordAndDeadLettersItForTheInvalidOne() throws Exception {
    String topic = "otlp_spans_partial";
    String dlqTopic = "partial_dlq";
    cluster.createTopics(1, topic, dlqTopic);
    OtlpFixtures.Message valid = fixtures.protobuf("cart", 3);
    ExportTraceServiceRequest.Builder request =
        ExportTraceServiceRequest.parseFrom(valid.bytes()).toBuilder();
    ScopeSpans.Builder scope = request.getResourceSpansBuilder(0).getScopeSpansBuilder(0);
    scope.addSpans(
        1,
        scope.getSpans(0).toBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("00000000deadbeef"))));
    byte[] partial = request.build().toByteArray();
    OtlpFixtures.Message next = fixtures.protobuf("payment", 2);
    long offset;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      offset = send(producer, topic, utf8("partial"), partial);
      send(producer, topic, new byte[0], next.bytes());
    }

    CollectingSink sink = new CollectingSink();
    MeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaTelemetrySource source =
        spansOnly(KafkaTelemetrySource.builder(), topic, "partial")
            .dlqTopic(dlqTopic)
            .meterRegistry(registry)
            .build(sink)) {
      source.start();
      assertThat(source.awaitCaughtUp(TIMEOUT)).as("caught up").isTrue();
    }

    // The three valid spans go on as one batch, and the stream goes on after them.
    assertThat(sink.calls).extracting(TelemetryBatch::size).containsExactly(3, 2);
    List<String> expected = new ArrayList<>(valid.spanIds());
    expected.addAll(next.spanIds());
    assertThat(sink.spans).extracting(SpanRecord::spanId).containsExactlyElementsOf(expected);
    assertThat(records(registry, "accepted")).isEqualTo(2);
    assertThat(records(registry, "dead_letter")).isEqualTo(1);
    assertThat(registry.get(IngestMetrics.ITEMS).tag("signal", "traces").counter().count())
        .isEqualTo(5);
    assertThat(deadLetters(registry, OtlpDecodeException.INVALID_TRACE_ID)).isEqualTo(1);
    assertThat(
            registry
                .get(IngestMetrics.REJECTED_ITEMS)
                .tag("source", "kafka")
                .tag("signal", "traces")
                .tag("reason", OtlpDecodeException.INVALID_TRACE_ID)
                .counter()
                .count())
        .isEqualTo(1);

    // The record is in the dead-letter topic, whole, saying that part of it was accepted.
    Map<Long, ConsumerRecord<byte[], byte[]>> dlq = readDeadLetters(dlqTopic, topic, 1);
    assertDeadLetter(
        topic, dlq, offset, utf8("partial"), partial, OtlpDecodeException.INVALID_TRACE_ID);
    ConsumerRecord<byte[], byte[]> letter = dlq.get(offset);
    assertThat(header(letter, "origin")).isEqualTo("fixture");
    assertThat(header(letter, DeadLetters.MESSAGE)).contains("trace id");
    assertThat(header(letter, DeadLetters.PARTIAL)).isEqualTo("true");
    assertThat(header(letter, DeadLetters.REJECTED_ITEMS)).isEqualTo("1");
    assertThat(header(letter, DeadLetters.ACCEPTED_ITEMS)).isEqualTo("3");
    assertThat(header(letter, DeadLetters.REJECTED_BY_REASON)).isEqualTo("invalid_trace_id=1");
  }

  @ParameterizedTest(name = "compression {0}")
  @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
  void readsRecordsOfEveryProducerCompression(String compression) throws Exception {
    String topic = "otlp_spans_" + compression;
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    OtlpFixtures.Message proto = fixtures.protobuf("cart", 5);
    OtlpFixtures.Message json = fixtures.json("checkout", 3);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                compression),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      send(producer, topic, new byte[0], proto.bytes());
      send(producer, topic, utf8(json.traceId()), json.bytes());
    }
    CollectingSink sink = new CollectingSink();
    try (KafkaTelemetrySource source =
        spansOnly(KafkaTelemetrySource.builder(), topic, "compression-" + compression)
            .meterRegistry(new SimpleMeterRegistry())
            .build(sink)) {
      source.start();
      assertThat(source.awaitCaughtUp(TIMEOUT)).as("caught up").isTrue();
      assertThat(source.deadLetters()).isZero();
    }
    List<String> expected = new ArrayList<>(proto.spanIds());
    expected.addAll(json.spanIds());
    assertThat(sink.spans).extracting(SpanRecord::spanId).containsExactlyElementsOf(expected);
  }

  private static KafkaTelemetrySourceBuilder spansOnly(
      KafkaTelemetrySourceBuilder builder, String topic, String group) {
    return builder
        .bootstrapServers(bootstrap)
        .groupId(group)
        .topic(Signal.TRACES, topic)
        .disable(Signal.METRICS)
        .disable(Signal.LOGS)
        .pollTimeout(Duration.ofMillis(100));
  }

  private static void assertDeadLetter(
      String topic,
      Map<Long, ConsumerRecord<byte[], byte[]>> dlq,
      long offset,
      byte[] key,
      byte[] value,
      String reason) {
    ConsumerRecord<byte[], byte[]> r = dlq.get(offset);
    assertThat(r).as("dead letter for offset %d", offset).isNotNull();
    assertThat(r.key()).isEqualTo(key);
    assertThat(r.value()).isEqualTo(value);
    assertThat(header(r, DeadLetters.REASON)).isEqualTo(reason);
    assertThat(header(r, DeadLetters.TOPIC)).isEqualTo(topic);
    assertThat(header(r, DeadLetters.PARTITION)).isEqualTo("0");
    assertThat(header(r, DeadLetters.MESSAGE)).isNotBlank();
  }

  /**
   * A dead letter for invalid items counts them and the accepted ones, and says it was partial when
   * some were accepted; one for a record that did not decode has none of these headers.
   */
  private static void assertPartialHeaders(ConsumerRecord<byte[], byte[]> r, HostileCorpus.Case c) {
    if (c.kafkaRejected() == 0) {
      assertThat(r.headers().headers(DeadLetters.PARTIAL)).as(c.name()).isEmpty();
      assertThat(r.headers().headers(DeadLetters.REJECTED_ITEMS)).as(c.name()).isEmpty();
      assertThat(r.headers().headers(DeadLetters.ACCEPTED_ITEMS)).as(c.name()).isEmpty();
      assertThat(r.headers().headers(DeadLetters.REJECTED_BY_REASON)).as(c.name()).isEmpty();
      return;
    }
    assertThat(header(r, DeadLetters.PARTIAL))
        .as(c.name())
        .isEqualTo(c.kafkaItems() > 0 ? "true" : null);
    assertThat(header(r, DeadLetters.REJECTED_ITEMS))
        .as(c.name())
        .isEqualTo(Integer.toString(c.kafkaRejected()));
    assertThat(header(r, DeadLetters.ACCEPTED_ITEMS))
        .as(c.name())
        .isEqualTo(Integer.toString(c.kafkaItems()));
    assertThat(header(r, DeadLetters.REJECTED_BY_REASON))
        .as(c.name())
        .isEqualTo(c.kafkaReason() + "=" + c.kafkaRejected());
  }

  /** Dead letters in {@code dlqTopic} from {@code topic}, by their source offset. */
  private static Map<Long, ConsumerRecord<byte[], byte[]>> readDeadLetters(
      String dlqTopic, String topic, int expected) throws InterruptedException {
    Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition dlq = new TopicPartition(dlqTopic, 0);
      consumer.assign(List.of(dlq));
      consumer.seekToBeginning(List.of(dlq));
      Await.until(
          expected + " dead letters are readable",
          TIMEOUT,
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
              if (topic.equals(header(r, DeadLetters.TOPIC))) {
                byOffset.put(Long.parseLong(header(r, DeadLetters.OFFSET)), r);
              }
            }
            return byOffset.size() >= expected;
          });
    }
    assertThat(byOffset).hasSize(expected);
    return byOffset;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return cluster.producer();
  }

  private static long send(
      KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value)
      throws Exception {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, key, value);
    record.headers().add(new RecordHeader("origin", utf8("fixture")));
    return producer.send(record).get().offset();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Collects spans; throws for the service {@value #BOMB} to exercise the sink-error path. */
  private static final class CollectingSink implements TelemetrySink {
    final Queue<SpanRecord> spans = new ConcurrentLinkedQueue<>();
    final Queue<TelemetryBatch> calls = new ConcurrentLinkedQueue<>();

    @Override
    public void accept(Signal signal, TelemetryBatch batch) {
      assertThat(signal).isEqualTo(Signal.TRACES);
      if (batch.spans().stream().anyMatch(s -> s.service().equals(BOMB))) {
        throw new IllegalStateException("sink refuses " + BOMB);
      }
      spans.addAll(batch.spans());
      calls.add(batch);
    }
  }
}
