package dev.vigil.trainingdata.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.testing.KafkaTestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The simulator's Kafka exporters against a real single-node KRaft broker. */
@Tag("integration")
class KafkaExportersIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

  private static KafkaTestCluster cluster;
  private static String bootstrap;

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = KafkaTestCluster.start();
    bootstrap = cluster.bootstrapServers();
    cluster.createTopics(1, "otlp_spans", "otlp_metrics", "otlp_logs");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void metricAndLogRecordsDecodeWithVigilsDecoderAndLinkToTheSpans() throws Exception {
    KafkaSpanExporter spans = new KafkaSpanExporter(bootstrap, "otlp_spans");
    KafkaMetricExporter metrics = new KafkaMetricExporter(bootstrap, "otlp_metrics");
    KafkaLogExporter logs = new KafkaLogExporter(bootstrap, "otlp_logs");
    try (MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(Topology.shop())
            .exporter(spans)
            .metricExporter(metrics)
            .logExporter(logs)
            .startTime(START)
            .metricInterval(Duration.ofSeconds(5))
            .faults(FaultSchedule.at(Fault.errors("payment"), START.plusSeconds(5)))
            .build()) {
      sim.runFor(Duration.ofSeconds(20));
    }
    assertThat(metrics.records()).isEqualTo(4);
    assertThat(metrics.failedMetrics()).isZero();
    assertThat(logs.records()).isPositive();
    assertThat(logs.failedLogs()).isZero();

    List<ConsumerRecord<byte[], byte[]>> spanRecords = read("otlp_spans", spans.records());
    List<ConsumerRecord<byte[], byte[]>> metricRecords = read("otlp_metrics", metrics.records());
    List<ConsumerRecord<byte[], byte[]>> logRecords = read("otlp_logs", logs.records());

    Set<String> spanIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : spanRecords) {
      OtlpDecoder.decode(Signal.TRACES, r.value()).spans().stream()
          .map(SpanRecord::spanId)
          .forEach(spanIds::add);
    }
    List<MetricPoint> points = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : metricRecords) {
      assertThat(r.key()).isNull();
      TelemetryBatch batch = OtlpDecoder.decode(Signal.METRICS, r.value());
      assertThat(batch.spans()).isEmpty();
      points.addAll(batch.metrics());
    }
    List<LogEntry> entries = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : logRecords) {
      assertThat(r.key()).isNull();
      entries.addAll(OtlpDecoder.decode(Signal.LOGS, r.value()).logs());
    }

    assertThat(points.stream().map(p -> p.getClass().getSimpleName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("Histogram", "ExponentialHistogram", "Sum", "Gauge");
    assertThat(points.stream().map(MetricPoint::timeEpochNanos).collect(Collectors.toSet()))
        .hasSize(4);
    assertThat(points.stream().flatMap(p -> p.exemplars().stream()))
        .isNotEmpty()
        .allMatch(e -> spanIds.contains(e.spanId()));
    assertThat(entries)
        .filteredOn(l -> l.isError() && l.service().equals("payment"))
        .isNotEmpty()
        .allMatch(l -> spanIds.contains(l.spanId()));
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(String topic, long count) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertThat(out).as("records on %s", topic).hasSize((int) count);
    return out;
  }
}
