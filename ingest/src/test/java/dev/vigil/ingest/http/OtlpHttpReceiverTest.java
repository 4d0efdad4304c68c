package dev.vigil.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Status;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every response status of the receiver, over plain HTTP. */
@Tag("integration")
class OtlpHttpReceiverTest {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  static final long START = 1_700_000_000_000_000_000L;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final CollectingSink sink = new CollectingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private OtlpHttpReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void protobufExportGetsAnEmptyExportResponse() throws Exception {
    start(OtlpHttpReceiver.builder(), sink);
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, null, request("cart", 3).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.hasPartialSuccess()).isFalse();
    assertThat(sink.spans).hasSize(3).allSatisfy(s -> assertThat(s.service()).isEqualTo("cart"));
    assertThat(records("traces", "accepted")).isEqualTo(1);
  }

  @Test
  void gzipProtobufAndJsonAreDecoded() throws Exception {
    start(OtlpHttpReceiver.builder(), sink);
    HttpResponse<byte[]> gz =
        post("/v1/traces", PROTOBUF, "gzip", gzip(request("cart", 2).toByteArray()));
    assertThat(gz.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> json =
        post("/v1/traces", JSON + "; charset=utf-8", null, utf8(jsonSpans("web", SPAN_A)));
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).hasValue(JSON);
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    HttpResponse<byte[]> gzJson =
        post("/v1/traces", JSON, "gzip", gzip(utf8(jsonSpans("web", SPAN_B))));
    assertThat(gzJson.statusCode()).isEqualTo(200);
    assertThat(sink.spans)
        .extracting(SpanRecord::service)
        .containsExactlyInAnyOrder("cart", "cart", "web", "web");
    assertThat(items("traces")).isEqualTo(4);
  }

  @Test
  void invalidItemsAreRejectedInAPartialSuccessInTheRequestsEncoding() throws Exception {
    start(OtlpHttpReceiver.builder(), sink);
    ExportTraceServiceRequest request =
        request("cart", 2).toBuilder()
            .setResourceSpans(
                0,
                request("cart", 2).getResourceSpans(0).toBuilder()
                    .setScopeSpans(
                        0,
                        request("cart", 2).getResourceSpans(0).getScopeSpans(0).toBuilder()
                            .addSpans(
                                span(0).setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})))))
            .build();
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, null, request.toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("invalid_span_id");
    assertThat(sink.spans).hasSize(2);

    String badJson =
        jsonSpans("web", SPAN_A).replace("\"b7ad6b7169203331\"", "\"t7ad6b7169203331\"");
    HttpResponse<byte[]> j = post("/v1/traces", JSON, null, utf8(badJson));
    assertThat(j.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse.Builder parsed = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(new String(j.body(), StandardCharsets.UTF_8), parsed);
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(
            registry
                .get(IngestMetrics.REJECTED_ITEMS)
                .tag("source", "otlp_http")
                .tag("reason", "invalid_span_id")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void malformedBodiesGet400WithADecodableStatus() throws Exception {
    start(OtlpHttpReceiver.builder(), sink);
    byte[] bytes = request("cart", 3).toByteArray();
    HttpResponse<byte[]> truncated =
        post("/v1/traces", PROTOBUF, null, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(truncated.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
    Status status = Status.parseFrom(truncated.body());
    assertThat(status.getCode()).isEqualTo(3);
    assertThat(status.getMessage()).contains("protobuf");
    BadRequest detail = status.getDetails(0).unpack(BadRequest.class);
    assertThat(detail.getFieldViolations(0).getReason()).isEqualTo("malformed_protobuf");

    HttpResponse<byte[]> json = post("/v1/logs", JSON, null, utf8("{\"resourceLogs\":["));
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.headers().firstValue("Content-Type")).hasValue(JSON);
    Status.Builder jsonStatus = Status.newBuilder();
    JsonFormat.parser()
        .usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder().add(BadRequest.getDescriptor()).build())
        .merge(new String(json.body(), StandardCharsets.UTF_8), jsonStatus);
    assertThat(jsonStatus.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getReason())
        .isEqualTo("malformed_json");

    HttpResponse<byte[]> badGzip = post("/v1/traces", PROTOBUF, "gzip", bytes);
    assertThat(badGzip.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(badGzip.body()).getMessage()).contains("gzip");
    assertThat(rejected("malformed_protobuf")).isEqualTo(1);
    assertThat(rejected("malformed_json")).isEqualTo(1);
    assertThat(rejected("malformed_gzip")).isEqualTo(1);
    assertThat(records("traces", "rejected")).isEqualTo(2);
    assertThat(sink.spans).isEmpty();
  }

  @Test
  void bodiesOverTheLimitGet413AsSentAndAfterGunzip() throws Exception {
    start(OtlpHttpReceiver.builder().maxBodyBytes(64 * 1024), sink);
    HttpResponse<byte[]> big = post("/v1/traces", PROTOBUF, null, new byte[64 * 1024 + 1]);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(big.body()).getMessage()).contains("limit is 65536 bytes");
    byte[] bomb = gzip(new byte[16 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(64 * 1024);
    HttpResponse<byte[]> unzipped = post("/v1/traces", PROTOBUF, "gzip", bomb);
    assertThat(unzipped.statusCode()).isEqualTo(413);
    assertThat(Status.parseFrom(unzipped.body()).getMessage()).contains("after gunzip");
    assertThat(rejected("too_large")).isEqualTo(2);
  }

  @Test
  void wrongMediaTypeEncodingMethodAndPathAreRefused() throws Exception {
    start(OtlpHttpReceiver.builder(), sink);
    byte[] body = request("cart", 1).toByteArray();
    assertThat(post("/v1/traces", "text/plain", null, body).statusCode()).isEqualTo(415);
    assertThat(post("/v1/traces", null, null, body).statusCode()).isEqualTo(415);
    assertThat(post("/v1/traces", PROTOBUF, "br", body).statusCode()).isEqualTo(415);
    HttpResponse<byte[]> get =
        CLIENT.send(
            HttpRequest.newBuilder(uri("/v1/traces")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(Status.parseFrom(get.body()).getCode()).isEqualTo(12);
    assertThat(post("/v1/profiles", PROTOBUF, null, body).statusCode()).isEqualTo(404);
    assertThat(rejected("unsupported_media_type")).isEqualTo(2);
    assertThat(rejected("unsupported_encoding")).isEqualTo(1);
    assertThat(rejected("method_not_allowed")).isEqualTo(1);
    assertThat(rejected("not_found")).isEqualTo(1);
    assertThat(sink.spans).isEmpty();
  }

  @Test
  void anEmptyProtobufExportSucceedsAsTheSpecificationAsks() throws Exception {
    start(OtlpHttpReceiver.builder(), sink);
    assertThat(post("/v1/metrics", PROTOBUF, null, new byte[0]).statusCode()).isEqualTo(200);
    assertThat(post("/v1/logs", JSON, null, utf8("{}")).statusCode()).isEqualTo(200);
    assertThat(post("/v1/logs", JSON, null, new byte[0]).statusCode()).isEqualTo(400);
  }

  @Test
  void aBusySinkGets429WithRetryAfterAndTheHeldExportStillCompletes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TelemetrySink slow =
        new TelemetrySink() {
          @Override
          public void accept(Signal signal, TelemetryBatch batch) {
            entered.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            sink.accept(signal, batch);
          }
        };
    start(OtlpHttpReceiver.builder().maxInFlight(1).retryAfter(Duration.ofMillis(1500)), slow);
    CompletableFuture<HttpResponse<byte[]>> held =
        CLIENT.sendAsync(
            postRequest("/v1/traces", PROTOBUF, null, request("cart", 1).toByteArray()),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    HttpResponse<byte[]> throttled =
        post("/v1/traces", PROTOBUF, null, request("cart", 1).toByteArray());
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(Status.parseFrom(throttled.body()).getCode()).isEqualTo(8);
    release.countDown();
    assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(sink.spans).hasSize(1);
    assertThat(rejected("throttled")).isEqualTo(1);
  }

  @Test
  void aFailingSinkGets500AndIsCounted() throws Exception {
    start(
        OtlpHttpReceiver.builder(),
        (signal, batch) -> {
          throw new IllegalStateException("boom");
        });
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, null, request("cart", 1).toByteArray());
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("boom");
    assertThat(rejected("sink_error")).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------

  static final String SPAN_A = "b7ad6b7169203331";
  static final String SPAN_B = "b7ad6b7169203332";
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private void start(OtlpHttpReceiverBuilder builder, TelemetrySink to) {
    receiver = builder.port(0).meterRegistry(registry).build(to);
    receiver.start();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + receiver.address().getPort() + path);
  }

  private HttpRequest postRequest(String path, String type, String encoding, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return b.build();
  }

  private HttpResponse<byte[]> post(String path, String type, String encoding, byte[] body)
      throws IOException, InterruptedException {
    return CLIENT.send(
        postRequest(path, type, encoding, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  private double rejected(String reason) {
    return registry
        .get(IngestMetrics.REJECTED)
        .tag("source", "otlp_http")
        .tag("reason", reason)
        .counter()
        .count();
  }

  private double records(String signal, String outcome) {
    return registry
        .get(IngestMetrics.RECORDS)
        .tag("source", "otlp_http")
        .tag("signal", signal)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private double items(String signal) {
    return registry
        .get(IngestMetrics.ITEMS)
        .tag("source", "otlp_http")
        .tag("signal", signal)
        .counter()
        .count();
  }

  static Span.Builder span(int i) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("c0ffee00000000" + (10 + i))))
        .setName("GET /cart")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START + i)
        .setEndTimeUnixNano(START + 250_000_000L + i);
  }

  static ExportTraceServiceRequest request(String service, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(span(i));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope))
        .build();
  }

  static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service)))
        .build();
  }

  static String jsonSpans(String service, String spanId) {
    return """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name",\
        "value":{"stringValue":"%s"}}]},"scopeSpans":[{"spans":[{"traceId":"%s",\
        "spanId":"%s","name":"GET /","kind":2,"startTimeUnixNano":"%d",\
        "endTimeUnixNano":"%d"}]}]}]}"""
        .formatted(service, TRACE, spanId, START, START + 1_000_000);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
