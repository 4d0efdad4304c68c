package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.WindowFeatures;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import dev.vigil.telemetry.otlp.OtlpEncoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology on Kafka Streams' test driver: windows flow from spans to the window engine. */
class TopologyTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_000_000L * MS;
  @TempDir Path dir;

  private static SpanRecord span(
      String trace, String id, String parent, String service, long start, long end) {
    return new SpanRecord(
        trace,
        id,
        parent,
        Resource.ofService(service),
        "op",
        parent.isEmpty() ? SpanKind.SERVER : SpanKind.SERVER,
        start,
        end,
        StatusCode.UNSET,
        Map.of());
  }

  /** The topology of a configuration, its meters, and the windows its engine closed. */
  private final class Fixture {
    final VigilConfig config;
    final StreamsLayout layout;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final StreamsMeters meters = new StreamsMeters(registry);
    final List<WindowFeatures> windows = new ArrayList<>();

    Fixture(String... flags) {
      ConfigLoader b =
          ConfigLoader.builder()
              .flag("kafka.bootstrap-servers", "unused:9092")
              .flag("kafka.application-id", "topo");
      for (int i = 0; i < flags.length; i += 2) {
        b.flag(flags[i], flags[i + 1]);
      }
      config = b.load();
      // The test driver has one partition per topic.
      layout = StreamsLayout.of(config, 1);
    }

    TopologyTestDriver driver() {
      var topology =
          VigilTopology.build(
              layout,
              registry,
              meters,
              () -> {
                VigilPipeline p =
                    VigilPipeline.windowEngine(
                        config.features(),
                        config.monitor(),
                        dev.vigil.service.alerting.AlertLifecycle.builder().build(),
                        registry);
                p.addListener(
                    new PipelineListener() {
                      @Override
                      public void onWindow(WindowFeatures w) {
                        windows.add(w);
                      }
                    });
                return p;
              },
              new EngineHandle(),
              new LagProbe(),
              () -> {
                throw new AssertionError("nothing to restore on the test driver");
              },
              new PurgeFloors());
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topo");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
      return new TopologyTestDriver(topology, props);
    }
  }

  /** A trace of two spans, frontend calling catalog, starting at {@code t}. */
  private static List<SpanRecord> trace(int n, long t) {
    String trace = String.format("%032x", n + 1);
    return List.of(
        span(trace, "0000000000000001", "", "frontend", t, t + 50 * MS),
        span(trace, "0000000000000002", "0000000000000001", "catalog", t + 5 * MS, t + 40 * MS));
  }

  @Test
  void windowsOfEveryTracePartitionReachTheEngineInOrder() {
    Fixture f = new Fixture();
    try (TopologyTestDriver driver = f.driver()) {
      TestInputTopic<byte[], byte[]> spans =
          driver.createInputTopic(
              "otlp_spans", new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> partials =
          driver.createOutputTopic(
              f.layout.internal(StreamsLayout.WINDOW_PARTIALS),
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      for (int i = 0; i < 2_000; i++) {
        long t = T0 + i * 100 * MS;
        spans.pipeInput(null, OtlpEncoder.encodeSpans(trace(i, t)), Instant.ofEpochMilli(t / MS));
      }
      assertThat(f.meters.spans()).isEqualTo(4_000);
      assertThat(f.meters.windows()).as("windows the engine closed").isPositive();
      assertThat(f.windows).as("windows closed by the engine").isNotEmpty();
      assertThat(f.registry.counter("vigil.kafka.mixed_trace_records").count()).isZero();
    }
  }

  @Test
  void readStraightFromTheSpansTopicRecordsOfOneTraceEachAreAssembledAndNotFlagged() {
    Fixture f = new Fixture("kafka.partition-traces-by-id", "true");
    assertThat(f.layout.traceTopic()).isEqualTo("otlp_spans");
    try (TopologyTestDriver driver = f.driver()) {
      TestInputTopic<byte[], byte[]> spans =
          driver.createInputTopic(
              "otlp_spans", new ByteArraySerializer(), new ByteArraySerializer());
      for (int i = 0; i < 2_000; i++) {
        long t = T0 + i * 100 * MS;
        spans.pipeInput(null, OtlpEncoder.encodeSpans(trace(i, t)), Instant.ofEpochMilli(t / MS));
      }
      assertThat(f.meters.spans()).isEqualTo(4_000);
      assertThat(f.windows).as("windows closed by the engine").isNotEmpty();
      assertThat(f.registry.counter("vigil.kafka.mixed_trace_records").count()).isZero();
    }
  }

  @Test
  void readStraightFromTheSpansTopicARecordOfSeveralTracesIsCountedAndItsSpansStillUsed() {
    Fixture f = new Fixture("kafka.partition-traces-by-id", "true");
    try (TopologyTestDriver driver = f.driver()) {
      TestInputTopic<byte[], byte[]> spans =
          driver.createInputTopic(
              "otlp_spans", new ByteArraySerializer(), new ByteArraySerializer());
      for (int i = 0; i < 2_000; i += 2) {
        long t = T0 + i * 100 * MS;
        List<SpanRecord> two = new ArrayList<>(trace(i, t));
        two.addAll(trace(i + 1, t + 100 * MS));
        spans.pipeInput(null, OtlpEncoder.encodeSpans(two), Instant.ofEpochMilli(t / MS));
      }
      assertThat(f.registry.counter("vigil.kafka.mixed_trace_records").count())
          .as("records holding two traces")
          .isEqualTo(1_000);
      assertThat(f.meters.spans()).as("every span still used").isEqualTo(4_000);
      assertThat(f.windows).isNotEmpty();
    }
  }

  @Test
  void aSpanTheTracePartitionRejectsIsDeadLetteredWithTheOriginalRecordsCoordinates() {
    Fixture f = new Fixture();
    // One valid span and one whose trace id is 8 bytes, in one OTLP protobuf record.
    byte[] traceId = new byte[16];
    traceId[15] = 7;
    io.opentelemetry.proto.trace.v1.Span.Builder good =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("GET /")
            .setStartTimeUnixNano(T0)
            .setEndTimeUnixNano(T0 + 10 * MS);
    byte[] value =
        io.opentelemetry.proto.trace.v1.TracesData.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .addSpans(good)
                            .addSpans(
                                good.clone()
                                    .setTraceId(
                                        com.google.protobuf.ByteString.copyFrom(new byte[8])))))
            .build()
            .toByteArray();
    try (TopologyTestDriver driver = f.driver()) {
      TestInputTopic<byte[], byte[]> spans =
          driver.createInputTopic(
              "otlp_spans", new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> dead =
          driver.createOutputTopic(
              f.layout.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      spans.pipeInput(null, "not OTLP".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      spans.pipeInput(null, value, Instant.ofEpochMilli(T0 / MS));
      var letters = dead.readRecordsToList();
      assertThat(letters).hasSize(2);
      assertThat(header(letters.get(0), "vigil.dlq.offset")).isEqualTo("0");
      var partial = letters.get(1);
      assertThat(header(partial, "vigil.dlq.topic")).isEqualTo("otlp_spans");
      assertThat(header(partial, "vigil.dlq.partition")).isEqualTo("0");
      assertThat(header(partial, "vigil.dlq.offset")).isEqualTo("1");
      assertThat(header(partial, "vigil.dlq.partial")).isEqualTo("true");
      assertThat(header(partial, "vigil.dlq.rejected_items")).isEqualTo("1");
      assertThat(f.meters.spans()).isEqualTo(1);
    }
  }

  private static String header(
      org.apache.kafka.streams.test.TestRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
