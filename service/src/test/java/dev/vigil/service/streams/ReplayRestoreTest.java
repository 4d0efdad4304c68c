package dev.vigil.service.streams;

import static dev.vigil.service.streams.StreamsPipelineTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace partitions' stores keep input offsets, not records: with the purge deleting every
 * processed record of the repartition topic it may (nothing kept for recency), the records the
 * stores still name stay, and an instance started on a new state directory re-reads exactly those
 * offsets, none missing.
 */
@Tag("integration")
class ReplayRestoreTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  @TempDir Path state;

  @Test
  void aRestoreReReadsExactlyTheStoredOffsetsAfterThePurgeRan() throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS), 3, (short) 1);
      VigilConfig config = StreamsPipelineTest.config(bootstrap, "replay");
      String repartition = "replay-" + StreamsLayout.SPANS_BY_TRACE;
      MicroserviceSimulator sim =
          MicroserviceSimulator.builder()
              .topology(Topology.shop())
              .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
              .startTime(START)
              .faults(FaultSchedule.none())
              .build();
      try (VigilStreams first =
          new VigilStreams(
                  config,
                  new SimpleMeterRegistry(),
                  Files.createDirectories(state.resolve("first")).toString())
              .purgeEvery(Duration.ofSeconds(1), Duration.ZERO)) {
        first.start();
        assertThat(first.awaitRunning(Duration.ofMinutes(2))).isTrue();
        sim.runFor(Duration.ofMinutes(10));
        long sent = sim.spans();
        sim.close();
        await(() -> first.meters().spans() >= sent, Duration.ofMinutes(5), "every span");
        await(
            () -> logStarts(bootstrap, repartition).values().stream().allMatch(o -> o > 0),
            Duration.ofMinutes(2),
            "the purge deleting processed records of every repartition partition");
      }

      // What the stores name, from their changelog: every offset is still in the topic.
      Map<Integer, TreeSet<Long>> named =
          storedOffsets(bootstrap, "replay-trace-records-changelog");
      long total = named.values().stream().mapToLong(TreeSet::size).sum();
      assertThat(total).as("records open windows and pending traces need").isPositive();
      Map<Integer, Long> starts = logStarts(bootstrap, repartition);
      named.forEach(
          (p, offsets) ->
              assertThat(offsets.first())
                  .as("partition %d: the purge kept what its store needs", p)
                  .isGreaterThanOrEqualTo(starts.get(p)));

      // A new state directory: the stores come back from the changelog, the records from the
      // repartition topic.
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (VigilStreams second =
          new VigilStreams(
                  config, registry, Files.createDirectories(state.resolve("second")).toString())
              .purgeEvery(Duration.ofDays(1))) {
        second.start();
        assertThat(second.awaitRunning(Duration.ofMinutes(2))).isTrue();
        await(
            () -> registry.counter("vigil.state.replayed_records").count() >= total,
            Duration.ofMinutes(2),
            total + " records replayed");
        assertThat(registry.counter("vigil.state.replayed_records").count()).isEqualTo(total);
        assertThat(registry.counter("vigil.state.replay_missing").count()).isZero();
      }
    }
  }

  /** The first offset of each partition of a topic. */
  private static Map<Integer, Long> logStarts(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      List<TopicPartition> tps =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      Map<Integer, Long> out = new HashMap<>();
      c.beginningOffsets(tps).forEach((tp, o) -> out.put(tp.partition(), o));
      return out;
    }
  }

  /** The offsets a trace-records changelog still holds, per partition (its latest values). */
  private static Map<Integer, TreeSet<Long>> storedOffsets(String bootstrap, String changelog) {
    Map<Integer, TreeSet<Long>> out = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      List<TopicPartition> tps =
          c.partitionsFor(changelog).stream()
              .map(i -> new TopicPartition(changelog, i.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          long key = ByteBuffer.wrap(r.key()).getLong();
          if (key < 0) {
            continue;
          }
          TreeSet<Long> s = out.computeIfAbsent(r.partition(), p -> new TreeSet<>());
          if (r.value() == null) {
            s.remove(key);
          } else {
            s.add(key);
          }
        }
      }
    }
    out.values().removeIf(TreeSet::isEmpty);
    return out;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
