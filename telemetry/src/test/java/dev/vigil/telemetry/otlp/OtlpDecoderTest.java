package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import dev.vigil.telemetry.TelemetryBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource.Builder;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {
  private static final Path EXAMPLES = Path.of("../../shared/datasets/otlp-examples/examples");

  @Test
  void decodesTheOfficialTraceExample() throws Exception {
    TelemetryBatch batch = OtlpDecoder.decode(Signal.TRACES, read("trace.json"));
    assertThat(batch.spans()).hasSize(1);
    SpanRecord span = batch.spans().get(0);
    assertThat(span.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(span.spanId()).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.service()).isEqualTo("my.service");
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.durationNanos()).isEqualTo(1_000_000_000L);
    assertThat(span.attributes()).containsEntry("my.span.attr", "some value");
  }

  @Test
  void decodesEveryMetricTypeOfTheOfficialExample() throws Exception {
    TelemetryBatch batch = OtlpDecoder.decode(Signal.METRICS, read("metrics.json"));
    assertThat(batch.metrics())
        .extracting(p -> p.getClass().getSimpleName())
        .contains("Sum", "Gauge", "Histogram", "ExponentialHistogram");
    MetricPoint.Sum sum =
        batch.metrics().stream()
            .filter(MetricPoint.Sum.class::isInstance)
            .map(MetricPoint.Sum.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(sum.monotonic()).isTrue();
    assertThat(sum.temporality()).isEqualTo(MetricPoint.Temporality.DELTA);
    assertThat(sum.service()).isEqualTo("my.service");
  }

  @Test
  void decodesTheOfficialLogAndEventExamples() throws Exception {
    LogEntry log = OtlpDecoder.decode(Signal.LOGS, read("logs.json")).logs().get(0);
    assertThat(log.body()).isEqualTo("Example log record");
    assertThat(log.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    LogEntry event = OtlpDecoder.decode(Signal.LOGS, read("events.json")).logs().get(0);
    assertThat(event.eventName()).isEqualTo("browser.page_view");
  }

  @Test
  void protobufAndJsonOfTheSameRequestDecodeToEqualRecords() throws Exception {
    ExportTraceServiceRequest request = request("checkout", 2);
    TelemetryBatch fromProto = OtlpDecoder.decode(Signal.TRACES, request.toByteArray());
    String json = com.google.protobuf.util.JsonFormat.printer().print(request);
    // protobuf's canonical JSON renders ids as base64; OTLP/JSON uses hex.
    for (Span s : request.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
      json = json.replace(base64(s.getTraceId()), hex(s.getTraceId()));
      json = json.replace(base64(s.getSpanId()), hex(s.getSpanId()));
    }
    TelemetryBatch fromJson =
        OtlpDecoder.decode(Signal.TRACES, json.getBytes(StandardCharsets.UTF_8));
    assertThat(fromJson.spans()).isEqualTo(fromProto.spans());
    assertThat(fromProto.spans())
        .extracting(SpanRecord::status, SpanRecord::service)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(StatusCode.ERROR, "checkout"),
            org.assertj.core.groups.Tuple.tuple(StatusCode.ERROR, "checkout"));
  }

  @Test
  void missingServiceNameBecomesUnknownService() throws Exception {
    ExportTraceServiceRequest request =
        request("x", 1).toBuilder()
            .setResourceSpans(
                0,
                request("x", 1).getResourceSpans(0).toBuilder()
                    .setResource(io.opentelemetry.proto.resource.v1.Resource.getDefaultInstance()))
            .build();
    SpanRecord span = OtlpDecoder.decode(Signal.TRACES, request.toByteArray()).spans().get(0);
    assertThat(span.service()).isEqualTo(Resource.UNKNOWN_SERVICE);
  }

  @Test
  void rejectsTruncatedProtobufWithAReason() {
    byte[] bytes = request("a", 3).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 7);
    assertThatThrownBy(() -> OtlpDecoder.decode(Signal.TRACES, truncated))
        .isInstanceOf(OtlpDecodeException.class)
        .extracting(e -> ((OtlpDecodeException) e).reason())
        .isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
  }

  @Test
  void rejectsIdsOfTheWrongLength() {
    ExportTraceServiceRequest bad =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(
                                Span.newBuilder()
                                    .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3}))
                                    .setSpanId(ByteString.copyFrom(new byte[8])))))
            .build();
    assertThatThrownBy(() -> OtlpDecoder.decode(Signal.TRACES, bad.toByteArray()))
        .extracting(e -> ((OtlpDecodeException) e).reason())
        .isEqualTo(OtlpDecodeException.INVALID_TRACE_ID);
  }

  @Test
  void rejectsBase64IdsInJson() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\","
            + "\"spanId\":\"7uGbfsPBsXQ=\",\"name\":\"x\"}]}]}]}";
    assertThatThrownBy(
            () -> OtlpDecoder.decode(Signal.TRACES, json.getBytes(StandardCharsets.UTF_8)))
        .extracting(e -> ((OtlpDecodeException) e).reason())
        .isEqualTo(OtlpDecodeException.INVALID_TRACE_ID);
  }

  @Test
  void rejectsEmptyMessagesAndNonObjectJson() {
    assertThatThrownBy(() -> OtlpDecoder.decode(Signal.TRACES, new byte[0]))
        .extracting(e -> ((OtlpDecodeException) e).reason())
        .isEqualTo(OtlpDecodeException.EMPTY_MESSAGE);
    assertThatThrownBy(() -> OtlpDecoder.decode(Signal.METRICS, "{\"resourceMetrics\":".getBytes()))
        .extracting(e -> ((OtlpDecodeException) e).reason())
        .isEqualTo(OtlpDecodeException.MALFORMED_JSON);
  }

  static ExportTraceServiceRequest request(String service, int spans) {
    Builder resource =
        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue(service)));
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(
                  ByteString.copyFrom(HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c")))
              .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("b7ad6b71692033" + (10 + i))))
              .setName("GET /cart")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setEndTimeUnixNano(1_700_000_000_250_000_000L + i)
              .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("http.response.status_code")
                      .setValue(AnyValue.newBuilder().setIntValue(500))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  private static byte[] read(String name) throws IOException {
    return Files.readAllBytes(EXAMPLES.resolve(name));
  }

  private static String base64(ByteString b) {
    return java.util.Base64.getEncoder().encodeToString(b.toByteArray());
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }
}
