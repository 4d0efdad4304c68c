package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.features.FeatureConfig;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.models.HistoryWindows;
import dev.vigil.service.models.KafkaHistoryReader;
import dev.vigil.service.models.ModelRegistries;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil retrain --from --to} on a real broker. The spans topic (three partitions) holds, by
 * record timestamp: OTLP exports of a service that only ran before the range, the simulator's shop
 * during the range (SDK-marshalled exports, spread over the partitions), a record that is not OTLP,
 * exports of the early service again (older timestamps written after the range's records, so they
 * sit inside the offsets read), and exports of a service that only ran after the range. Retraining
 * over the range must see exactly the shop's services, count the malformed record and the records
 * outside the range, and promote models of shop services trained on windows inside the range.
 */
@Tag("integration")
class KafkaRetrainTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant FROM = START.plus(Duration.ofMinutes(15));
  private static final Instant TO = FROM.plus(Duration.ofMinutes(40));
  private static final int PARTITIONS = 3;

  @Test
  void readsOnlyTheTimeRangeOfTheSpansTopicAndPromotesModelsOfTheServicesInIt(@TempDir Path dir)
      throws Exception {
    Topology shop = Topology.shop();
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      // The history is months old: without retention.ms=-1 the broker's retention check (30 s
      // after start, then every 5 min) would delete it as older than its 7 days.
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin
            .createTopics(
                List.of(
                    new NewTopic(KafkaTopics.OTLP_SPANS, PARTITIONS, (short) 1)
                        .configs(Map.of("retention.ms", "-1"))))
            .all()
            .get();
      }
      long earlyInsideOffsets;
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap, "acks", "all"),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        produceService(producer, "early-only", START, FROM.minusSeconds(60), 0);
        TimestampedExporter exporter = new TimestampedExporter(producer);
        MicroserviceSimulator sim =
            MicroserviceSimulator.builder()
                .topology(shop)
                .exporter(exporter)
                .startTime(FROM)
                .build();
        sim.runFor(Duration.between(FROM, TO).minusMinutes(1));
        sim.close();
        producer
            .send(
                new ProducerRecord<>(
                    KafkaTopics.OTLP_SPANS,
                    1,
                    FROM.plusSeconds(600).toEpochMilli(),
                    null,
                    "not OTLP".getBytes(StandardCharsets.UTF_8)))
            .get();
        // Old timestamps written after the range's records: inside the offsets read, skipped.
        earlyInsideOffsets =
            produceService(producer, "early-only", START, FROM.minusSeconds(60), 1);
        produceService(producer, "late-only", TO.plusSeconds(60), TO.plusSeconds(900), 2);
        producer.flush();
      }

      // The reader alone: what it used, skipped and counted.
      HistoryWindows windows = new HistoryWindows(FeatureConfig.defaults(), 5);
      KafkaHistoryReader.Report report =
          new KafkaHistoryReader(
                  Map.of("bootstrap.servers", bootstrap), KafkaTopics.OTLP_SPANS, null)
              .read(FROM, TO, b -> windows.accept(b.spans()), line -> {});
      assertThat(report.partitions()).isEqualTo(PARTITIONS);
      assertThat(report.malformed())
          .containsOnlyKeys(OtlpDecodeException.MALFORMED_PROTOBUF)
          .containsValue(1L);
      assertThat(report.outsideRange()).isEqualTo(earlyInsideOffsets);
      assertThat(report.first()).isAfterOrEqualTo(FROM);
      assertThat(report.last()).isBeforeOrEqualTo(TO);
      assertThat(windows.finish().keySet())
          .isNotEmpty()
          .isSubsetOf(shop.services())
          .doesNotContain("early-only", "late-only");

      // The command, with the range relative to its clock, promoting to a directory.
      Path models = dir.resolve("models");
      Clock atTo = Clock.fixed(TO, ZoneOffset.UTC);
      List<String> argv =
          List.of(
              "--bootstrap-servers",
              bootstrap,
              "--from",
              "-40m",
              "--to",
              "now",
              "--registry",
              models.toString(),
              "--min-windows",
              "60");
      assertThat(RetrainCommand.run(argv, Map.of(), atTo)).isZero();
      List<RegisteredModel> promoted = ModelRegistry.directory(models).current();
      assertThat(promoted).isNotEmpty();
      // The forecaster of the predictive alerts (one for every service) is trained on the range
      // too.
      assertThat(promoted)
          .extracting(RegisteredModel::service)
          .contains(RegisteredModel.ALL_SERVICES);
      for (RegisteredModel m : promoted) {
        if (m.isForecaster()) {
          assertThat(m.service()).isEqualTo(RegisteredModel.ALL_SERVICES);
        } else {
          assertThat(m.service()).isIn(shop.services());
        }
        assertThat(m.provenance().dataStart()).isAfterOrEqualTo(FROM);
        assertThat(m.provenance().dataEnd()).isBeforeOrEqualTo(TO);
      }

      // Without --registry, a Kafka configuration promotes to the compacted vigil.models topic.
      List<String> toTopic = argv.subList(0, 6);
      List<String> withWindows = new ArrayList<>(toTopic);
      withWindows.addAll(List.of("--min-windows", "60"));
      assertThat(RetrainCommand.run(withWindows, Map.of(), atTo)).isZero();
      ModelRegistry topic =
          ModelRegistries.forService(
                  ConfigLoader.builder().flag("kafka.bootstrap-servers", bootstrap).load())
              .orElseThrow();
      try {
        assertThat(topic).hasToString("kafka topic vigil.models");
        assertThat(topic.current())
            .extracting(RegisteredModel::service)
            .containsExactlyElementsOf(promoted.stream().map(RegisteredModel::service).toList());
      } finally {
        ModelRegistries.close(topic);
      }
      // Neither the reading nor the registry joined a consumer group or committed an offset.
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        assertThat(admin.listGroups().all().get()).isEmpty();
      }
    }
  }

  /**
   * Writes OTLP exports (built with the protobuf classes) of one server span per second of a single
   * service between {@code from} and {@code to}, one record per 10 s, each timestamped with its
   * newest span end.
   *
   * @return records written
   */
  private static long produceService(
      KafkaProducer<byte[], byte[]> producer, String service, Instant from, Instant to, int seed)
      throws Exception {
    Random random = new Random(seed);
    Resource resource =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue(service)))
            .build();
    long records = 0;
    for (Instant t = from; t.isBefore(to); t = t.plusSeconds(10)) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      long newestEnd = 0;
      for (int i = 0; i < 10; i++) {
        long start = t.plusSeconds(i).toEpochMilli() * 1_000_000L;
        long end = start + (20 + random.nextInt(30)) * 1_000_000L;
        newestEnd = Math.max(newestEnd, end);
        scope.addSpans(
            Span.newBuilder()
                .setTraceId(ByteString.copyFrom(id(random, 16)))
                .setSpanId(ByteString.copyFrom(id(random, 8)))
                .setName("GET /work")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(end));
      }
      byte[] value =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
              .build()
              .toByteArray();
      producer
          .send(
              new ProducerRecord<>(
                  KafkaTopics.OTLP_SPANS,
                  (int) (records % PARTITIONS),
                  newestEnd / 1_000_000L,
                  null,
                  value))
          .get();
      records++;
    }
    return records;
  }

  private static byte[] id(Random random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    b[0] |= 1;
    return b;
  }

  /**
   * The simulator's exports as the Collector's kafka exporter writes them (SDK-marshalled protobuf,
   * empty key), timestamped with the newest span end of each and spread over the partitions in
   * turn.
   */
  private static final class TimestampedExporter implements SpanExporter {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();

    TimestampedExporter(KafkaProducer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      long newest = batch.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(0);
      producer.send(
          new ProducerRecord<>(
              KafkaTopics.OTLP_SPANS,
              (int) (sent.getAndIncrement() % PARTITIONS),
              newest / 1_000_000L,
              null,
              KafkaSpanExporter.marshal(batch)));
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      producer.flush();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return flush();
    }
  }
}
