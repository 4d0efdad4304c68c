package dev.vigil.ingest;

import static dev.vigil.testing.KafkaTestCluster.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaTelemetrySource} with the sink on its own thread (the default), against a real
 * single-node KRaft broker: counts, dead letters, back-pressure, commits and close.
 */
@Tag("integration")
class PipelinedSinkTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String BOMB = "sink-bomb";
  private static final String BLOCK = "block";
  private static final String FATAL = "fatal";

  private static KafkaTestCluster cluster;
  private static String bootstrap;
  private static Admin admin;

  private final OtlpFixtures fixtures = new OtlpFixtures();

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = KafkaTestCluster.builder().noInitialRebalanceDelay().start();
    bootstrap = cluster.bootstrapServers();
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everySpanIsCountedOnceOnTheSinkThreadAndSinkErrorsAreDeadLettered() throws Exception {
    String topic = "pipelined_count";
    String dlq = "pipelined_count_dlq";
    KafkaTopics.ensure(bootstrap, List.of(topic, dlq), 2, (short) 1);
    List<String> expected = new ArrayList<>();
    List<Long> bombs = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 120; i++) {
        int partition = i % 2;
        if (i % 40 == 7) {
          long offset = send(producer, topic, partition, fixtures.protobuf(BOMB, 2).bytes());
          bombs.add(partition * 1_000_000L + offset);
        } else {
          OtlpFixtures.Message m = fixtures.protobuf("cart", 1 + i % 5);
          expected.addAll(m.spanIds());
          send(producer, topic, partition, m.bytes());
        }
      }
    }
    RecordingSink sink = new RecordingSink();
    try (KafkaTelemetrySource source =
        builder(topic, "count").dlqTopic(dlq).sinkQueueCapacity(2).build(sink)) {
      source.start();
      assertThat(source.awaitCaughtUp(TIMEOUT)).as("caught up").isTrue();
      // Caught up means the sink has finished too, not only the consumer.
      assertThat(sink.spans).hasSameSizeAs(expected);
      assertThat(source.acceptedRecords()).isEqualTo(117);
      assertThat(source.deadLetters()).isEqualTo(3);
    }

    assertThat(sink.spans)
        .extracting(SpanRecord::spanId)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(sink.threads).containsOnly(KafkaTelemetrySource.SINK_THREAD_NAME);
    assertThat(sink.events.get(0)).isEqualTo("lanesAssigned [" + topic + "-0, " + topic + "-1]");
    assertThat(committed("count", topic, 0)).isEqualTo(60);
    assertThat(committed("count", topic, 1)).isEqualTo(60);
    List<Long> lettered = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> letter : readAll(dlq, bombs.size())) {
      assertThat(header(letter, DeadLetters.REASON)).isEqualTo(DeadLetters.SINK_ERROR);
      assertThat(header(letter, DeadLetters.MESSAGE)).contains("sink refuses");
      lettered.add(
          Long.parseLong(header(letter, DeadLetters.PARTITION)) * 1_000_000L
              + Long.parseLong(header(letter, DeadLetters.OFFSET)));
    }
    assertThat(lettered).containsExactlyInAnyOrderElementsOf(bombs);
  }

  @Test
  void commitsStopBelowARecordTheSinkHasNotFinished() throws Exception {
    String topic = "pipelined_commit";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 5; i++) {
        send(producer, topic, 0, fixtures.protobuf("cart", 2).bytes());
      }
      send(producer, topic, 0, fixtures.protobuf(BLOCK, 1).bytes()); // offset 5
      send(producer, topic, 0, fixtures.protobuf("cart", 2).bytes()); // offset 6, decoded, queued
    }
    RecordingSink sink = new RecordingSink();
    try (KafkaTelemetrySource source = builder(topic, "commit").build(sink)) {
      source.start();
      assertThat(sink.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      // The sink keeps no state, so all it finished may be committed, and the ingest thread, not
      // blocked, commits once a second: up to the blocked record, not past the one queued behind
      // it.
      Await.until("a commit", TIMEOUT, () -> committed("commit", topic, 0) >= 5);
      assertThat(committed("commit", topic, 0)).isEqualTo(5);
      assertThat(source.acceptedRecords()).isEqualTo(5);
      sink.release.countDown();
      Await.until("the sink finishes", TIMEOUT, () -> source.acceptedRecords() == 7);
    }
    assertThat(committed("commit", topic, 0)).isEqualTo(7);
    assertThat(sink.spans).hasSize(13);
  }

  @Test
  void theConsumerWaitsForAFullQueue() throws Exception {
    String topic = "pipelined_backpressure";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, topic, 0, fixtures.protobuf(BLOCK, 1).bytes());
      for (int i = 0; i < 10; i++) {
        send(producer, topic, 0, fixtures.protobuf("cart", 2).bytes());
      }
      send(producer, topic, 0, new byte[] {(byte) 0xFF}); // offset 11: a dead letter when decoded
    }
    RecordingSink sink = new RecordingSink();
    try (KafkaTelemetrySource source =
        builder(topic, "backpressure").sinkQueueCapacity(2).build(sink)) {
      source.start();
      assertThat(sink.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      Await.until(
          "the ingest thread waits for the queue", TIMEOUT, () -> ingestIn("put", "pollAndHandle"));
      // Blocked on record 3 at most (record 0 in the sink, 1 and 2 queued): the bad record at the
      // end was not decoded yet.
      assertThat(source.deadLetters()).isZero();
      sink.release.countDown();
      assertThat(source.awaitCaughtUp(TIMEOUT)).isTrue();
      assertThat(source.deadLetters()).isEqualTo(1);
      assertThat(source.acceptedRecords()).isEqualTo(11);
    }
    assertThat(sink.spans).hasSize(21);
  }

  @Test
  void closeFromTheSinkLetsItFinishWhatWasDecodedThenCommits() throws Exception {
    String topic = "pipelined_close";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    List<String> expected = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 5; i++) {
        OtlpFixtures.Message m = fixtures.protobuf("cart", 2);
        expected.addAll(m.spanIds());
        send(producer, topic, 0, m.bytes());
      }
      send(producer, topic, 0, new byte[] {(byte) 0xFF}); // offset 5
    }
    RecordingSink sink = new RecordingSink();
    KafkaTelemetrySource[] self = new KafkaTelemetrySource[1];
    sink.onFirst =
        () -> {
          // Once the bad record behind them was decoded, records 1 to 4 are queued.
          try {
            Await.until("the queue fills", TIMEOUT, () -> self[0].deadLetters() == 1);
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          self[0].close(); // from the sink thread: returns at once
        };
    try (KafkaTelemetrySource source = builder(topic, "close").build(sink)) {
      self[0] = source;
      source.start();
      Await.until("the source stops", TIMEOUT, () -> !ingestThreadAlive());
    }
    assertThat(sink.spans).extracting(SpanRecord::spanId).containsExactlyElementsOf(expected);
    assertThat(committed("close", topic, 0)).isEqualTo(6);
  }

  @Test
  void aRebalanceWaitsForTheQueueSoNoRecordIsReadTwice() throws Exception {
    String topic = "pipelined_rebalance";
    String group = "rebalance";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 2, (short) 1);
    List<String> expected = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      send(producer, topic, 0, fixtures.protobuf(BLOCK, 1).bytes());
      for (int i = 0; i < 40; i++) {
        OtlpFixtures.Message m = fixtures.protobuf("cart", 2);
        expected.addAll(m.spanIds());
        send(producer, topic, i % 2, m.bytes());
      }
    }
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    try (KafkaTelemetrySource a = builder(topic, group).sinkQueueCapacity(64).build(first)) {
      a.start();
      assertThat(first.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      try (KafkaTelemetrySource b = builder(topic, group).build(second)) {
        b.start();
        // The second source joins while the first one's sink is blocked with records queued
        // behind it: the first source must wait for them before it gives up its partitions.
        Await.until(
            "the rebalance waits for the queue",
            TIMEOUT,
            () -> ingestIn("drain", "onPartitionsRevoked"));
        first.release.countDown();
        assertThat(b.awaitCaughtUp(TIMEOUT)).isTrue();
        assertThat(a.awaitCaughtUp(TIMEOUT)).isTrue();
      }
    }
    List<String> both = new ArrayList<>();
    first.spans.stream().filter(s -> !s.service().equals(BLOCK)).forEach(s -> both.add(s.spanId()));
    second.spans.forEach(s -> both.add(s.spanId()));
    assertThat(both).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anErrorThatStopsTheSinkThreadStopsTheSourceWithoutCommittingPastIt() throws Exception {
    String topic = "pipelined_fatal";
    KafkaTopics.ensure(bootstrap, List.of(topic, KafkaTopics.DLQ), 1, (short) 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 30; i++) {
        send(producer, topic, 0, fixtures.protobuf(i == 5 ? FATAL : "cart", 2).bytes());
      }
    }
    RecordingSink sink = new RecordingSink();
    try (KafkaTelemetrySource source = builder(topic, "fatal").sinkQueueCapacity(2).build(sink)) {
      source.start();
      Await.until("the source stops", TIMEOUT, () -> !ingestThreadAlive());
      assertThat(source.acceptedRecords()).isEqualTo(5);
    }
    assertThat(sink.spans).hasSize(10);
    assertThat(committed("fatal", topic, 0)).isLessThanOrEqualTo(5);
  }

  /**
   * Whether an ingest thread is in a method of the sink stage called (at some depth) by another.
   */
  private static boolean ingestIn(String stageMethod, String caller) {
    for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
      List<StackTraceElement> frames = Arrays.asList(t.getValue());
      if (t.getKey().getName().equals(KafkaTelemetrySource.THREAD_NAME)
          && frames.stream()
              .anyMatch(
                  f ->
                      f.getClassName().equals(HandOffSinkStage.class.getName())
                          && f.getMethodName().equals(stageMethod))
          && frames.stream().anyMatch(f -> f.getMethodName().equals(caller))) {
        return true;
      }
    }
    return false;
  }

  private static boolean ingestThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(KafkaTelemetrySource.THREAD_NAME) && t.isAlive());
  }

  private static KafkaTelemetrySourceBuilder builder(String topic, String group) {
    return KafkaTelemetrySource.builder()
        .bootstrapServers(bootstrap)
        .groupId(group)
        .topic(Signal.TRACES, topic)
        .disable(Signal.METRICS)
        .disable(Signal.LOGS)
        .pollTimeout(Duration.ofMillis(100));
  }

  private static long committed(String group, String topic, int partition) {
    try {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(new TopicPartition(topic, partition));
      return offset == null ? -1 : offset.offset();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("could not read the committed offsets of " + group, e);
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected)
      throws InterruptedException {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Await.until(
          expected + " records in " + topic,
          TIMEOUT,
          () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            return out.size() >= expected;
          });
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return cluster.producer();
  }

  private static long send(
      KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value)
      throws Exception {
    return producer.send(new ProducerRecord<>(topic, partition, null, value)).get().offset();
  }

  /**
   * Records every call and the thread it came on; throws for the service {@value #BOMB}; blocks on
   * {@link #release} for the service {@value #BLOCK}; runs {@link #onFirst} on the first batch.
   */
  private static final class RecordingSink implements TelemetrySink {
    final Queue<SpanRecord> spans = new ConcurrentLinkedQueue<>();
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile Runnable onFirst;

    @Override
    public void accept(Signal signal, TelemetryBatch batch) {
      throw new AssertionError("the source gives the lane");
    }

    @Override
    public void accept(Signal signal, TelemetryBatch batch, String lane) {
      threads.add(Thread.currentThread().getName());
      events.add("accept " + lane);
      Runnable first = onFirst;
      if (first != null) {
        onFirst = null;
        first.run();
      }
      String service = batch.spans().get(0).service();
      if (service.equals(BOMB)) {
        throw new IllegalStateException("sink refuses " + BOMB);
      }
      if (service.equals(FATAL)) {
        throw new Error("the sink cannot go on");
      }
      if (service.equals(BLOCK)) {
        entered.countDown();
        try {
          assertThat(release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      spans.addAll(batch.spans());
    }

    @Override
    public void lanesAssigned(Signal signal, Collection<String> lanes) {
      threads.add(Thread.currentThread().getName());
      events.add("lanesAssigned " + lanes.stream().sorted().toList());
    }

    @Override
    public void laneIdle(Signal signal, String lane) {
      threads.add(Thread.currentThread().getName());
      events.add("laneIdle " + lane);
    }

    @Override
    public java.util.Optional<java.time.Instant> durableUpTo() {
      threads.add(Thread.currentThread().getName());
      return java.util.Optional.empty();
    }
  }
}
