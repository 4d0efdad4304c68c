package dev.vigil.service.streams;

import static dev.vigil.service.streams.StreamsPipelineTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application share the partitions; one is stopped without a clean shutdown
 * mid-stream and the other takes over its tasks, restoring their stores. Checked on what was
 * committed: every trace partition's windows reach the engine exactly once each, without a gap, and
 * the fault's incident is opened once, with the right root cause.
 */
@Tag("integration")
class FailoverTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(20);
  private static final Duration FAULT = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path state;

  @Test
  void theSurvivorTakesOverEveryPartitionAndCountsEveryWindowOnce() throws Exception {
    String faulty = "catalog";
    Instant faultAt = START.plus(WARM_UP);
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(KafkaTopics.OTLP_SPANS), 3, (short) 1);
      VigilConfig config = StreamsPipelineTest.config(bootstrap, "failover");
      VigilStreams a =
          new VigilStreams(
              config,
              new SimpleMeterRegistry(),
              Files.createDirectories(state.resolve("a")).toString());
      VigilStreams b =
          new VigilStreams(
              config,
              new SimpleMeterRegistry(),
              Files.createDirectories(state.resolve("b")).toString());
      // The check below reads the committed window partials back: keep them (no purge).
      a.purgeEvery(Duration.ofDays(1));
      b.purgeEvery(Duration.ofDays(1));
      try (b) {
        a.start();
        b.start();
        assertThat(a.awaitRunning(Duration.ofMinutes(2))).isTrue();
        assertThat(b.awaitRunning(Duration.ofMinutes(2))).isTrue();
        MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(Topology.shop())
                .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
                .startTime(START)
                .faults(FaultSchedule.at(Fault.latency(faulty), faultAt))
                .build();
        sim.runFor(WARM_UP.dividedBy(2));
        await(() -> a.meters().spans() + b.meters().spans() > 0, Duration.ofMinutes(3), "spans");
        a.kill();
        sim.runFor(WARM_UP.dividedBy(2).plus(FAULT));
        sim.close();
        await(() -> b.engine().current().isPresent(), Duration.ofMinutes(3), "the engine on b");
        await(
            () ->
                incidents(bootstrap).stream()
                    .anyMatch(i -> i.path("status").asText().equals("open")),
            Duration.ofMinutes(8),
            "an incident");
      }

      // What was committed: each trace partition's windows once each, contiguous.
      Map<Integer, List<Long>> windows = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, "failover-window-partials")) {
        PartialMessage m = PartialMessage.fromBytes(r.value());
        if (!m.idle() && !m.active()) {
          windows.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.windowStartNanos());
        }
      }
      assertThat(windows).hasSize(3);
      long step = Duration.ofSeconds(10).toNanos();
      windows.forEach(
          (p, starts) -> {
            assertThat(new HashSet<>(starts))
                .as("partition %d windows once each", p)
                .hasSameSizeAs(starts);
            for (int i = 1; i < starts.size(); i++) {
              assertThat(starts.get(i) - starts.get(i - 1))
                  .as("partition %d window %d follows the one before", p, i)
                  .isEqualTo(step);
            }
          });
      List<JsonNode> incidents = incidents(bootstrap);
      Set<String> ids = new TreeSet<>();
      incidents.forEach(i -> ids.add(i.path("id").asText()));
      assertThat(ids).as("one incident for one fault, reported as it grows").hasSize(1);
      JsonNode first = incidents.get(0);
      assertThat(Instant.parse(first.path("startedAt").asText())).isAfter(faultAt.minusSeconds(60));
      assertThat(first.path("rootCauses").get(0).path("service").asText()).isEqualTo(faulty);
    }
  }

  private static List<JsonNode> incidents(String bootstrap) {
    List<JsonNode> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, KafkaTopics.INCIDENTS)) {
      try {
        out.add(JSON.readTree(r.value()));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** Every committed record of a topic, in partition-then-offset order. */
  private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          c.partitionsFor(topic).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
