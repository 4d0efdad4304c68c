package dev.vigil.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpFileReaderTest {
  static final Path EXAMPLES = Path.of("../../shared/datasets/otlp-examples/examples");

  @TempDir Path dir;

  private static ExportTraceServiceRequest traces(int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c")))
              .setSpanId(
                  ByteString.copyFrom(HexFormat.of().parseHex(String.format("%016x", i + 1))))
              .setName("GET /cart")
              .setStartTimeUnixNano(1_700_000_000_000_000_000L)
              .setEndTimeUnixNano(1_700_000_000_100_000_000L));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("cart"))))
                .addScopeSpans(scope))
        .build();
  }

  private static MetricsData metrics() {
    return MetricsData.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("cpu")
                                .setGauge(
                                    Gauge.newBuilder()
                                        .addDataPoints(
                                            NumberDataPoint.newBuilder()
                                                .setTimeUnixNano(1_700_000_000_000_000_000L)
                                                .setAsDouble(0.5))))))
        .build();
  }

  @Test
  void readsTheOfficialJsonExamplesAsJsonLines() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String f : List.of("trace.json", "metrics.json", "logs.json")) {
      String json = Files.readString(EXAMPLES.resolve(f)).replaceAll("\\s*\\n\\s*", " ");
      lines.append(json).append('\n');
    }
    Files.writeString(dir.resolve("export.jsonl"), lines);
    OtlpFileContent c = OtlpFileReader.read(List.of(dir));
    assertThat(c.problems()).isEmpty();
    assertThat(c.files()).isEqualTo(1);
    assertThat(c.spans()).isPositive();
    assertThat(c.metricPoints()).isPositive();
    assertThat(c.logs()).isPositive();
  }

  @Test
  void readsSingleAndLengthPrefixedProtobufFilesWhateverTheirNames() throws IOException {
    byte[] t = traces(3).toByteArray();
    byte[] m = metrics().toByteArray();
    Files.write(dir.resolve("a.binpb"), t);
    ByteArrayOutputStream fixed = new ByteArrayOutputStream();
    for (byte[] msg : List.of(t, m)) {
      fixed.write(ByteBuffer.allocate(4).putInt(msg.length).array());
      fixed.write(msg);
    }
    Files.write(dir.resolve("b.binpb"), fixed.toByteArray());
    ByteArrayOutputStream delimited = new ByteArrayOutputStream();
    traces(2).writeDelimitedTo(delimited);
    metrics().writeDelimitedTo(delimited);
    Files.write(dir.resolve("c.binpb"), delimited.toByteArray());

    OtlpFileContent c = OtlpFileReader.read(List.of(dir));
    assertThat(c.problems()).isEmpty();
    assertThat(c.files()).isEqualTo(3);
    assertThat(c.batches()).hasSize(5);
    assertThat(c.spans()).isEqualTo(3 + 3 + 2);
    assertThat(c.metricPoints()).isEqualTo(2);
    assertThat(c.batches().get(0).spans().get(0).service()).isEqualTo("cart");
  }

  @Test
  void reportsBadLinesAndKeepsTheRest() throws IOException {
    Files.writeString(
        dir.resolve("x.json"),
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"zz\"}]}]}]}\n"
            + "not json\n"
            + new String(
                com.google.protobuf.util.JsonFormat.printer().print(metrics()).replace('\n', ' '))
            + "\n",
        StandardCharsets.UTF_8);
    OtlpFileContent c = OtlpFileReader.read(List.of(dir.resolve("x.json")));
    assertThat(c.problems()).hasSize(2);
    assertThat(c.problems().get(0)).contains("x.json:1");
    assertThat(c.metricPoints()).isEqualTo(1);
  }

  @Test
  void probesTheSignalOfAnUnnamedMessage() {
    assertThat(OtlpFileReader.probe(traces(1).toByteArray())).isEqualTo(Signal.TRACES);
    assertThat(OtlpFileReader.probe(metrics().toByteArray())).isEqualTo(Signal.METRICS);
  }

  @Test
  void aMissingPathIsAnError() {
    assertThatThrownBy(() -> OtlpFileReader.read(List.of(dir.resolve("nope"))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no such file");
  }

  @Test
  void aMessageWithOneInvalidPointKeepsItsValidPointsAndReportsTheRest() throws IOException {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (double v : new double[] {1.5, Double.NaN, 2.5}) {
      gauge.addDataPoints(
          NumberDataPoint.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L).setAsDouble(v));
    }
    MetricsData data =
        MetricsData.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("cpu").setGauge(gauge))))
            .build();
    Path file = dir.resolve("metrics.binpb");
    Files.write(file, data.toByteArray());

    OtlpFileContent content = OtlpFileReader.read(List.of(file));

    assertThat(content.metricPoints()).isEqualTo(2);
    assertThat(content.problems())
        .singleElement()
        .asString()
        .contains("1 items rejected")
        .contains("the rest kept");
  }
}
