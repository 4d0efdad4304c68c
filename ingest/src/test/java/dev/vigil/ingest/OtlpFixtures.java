package dev.vigil.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** OTLP trace messages with unique, predictable ids, built with the official protobuf classes. */
final class OtlpFixtures {
  private static final HexFormat HEX = HexFormat.of();
  private static final long START = 1_700_000_000_000_000_000L;
  private final AtomicLong nextId = new AtomicLong(1);

  /** One OTLP message: its bytes, its trace id and the ids of its spans, in order. */
  record Message(byte[] bytes, String traceId, List<String> spanIds) {}

  /** An {@code ExportTraceServiceRequest} with {@code spans} spans of one trace. */
  Message protobuf(String service, int spans) {
    String traceId = traceId();
    List<String> spanIds = new ArrayList<>();
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      String spanId = spanId();
      spanIds.add(spanId);
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(HEX.parseHex(traceId)))
              .setSpanId(ByteString.copyFrom(HEX.parseHex(spanId)))
              .setName("GET /cart")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(START + i)
              .setEndTimeUnixNano(START + 250_000_000L + i));
    }
    Resource resource =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue(service)))
            .build();
    byte[] bytes =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
            .build()
            .toByteArray();
    return new Message(bytes, traceId, List.copyOf(spanIds));
  }

  /** An OTLP/JSON message (hex ids, 64-bit integers as strings) with {@code spans} spans. */
  Message json(String service, int spans) {
    String traceId = traceId();
    List<String> spanIds = new ArrayList<>();
    StringBuilder spanJson = new StringBuilder();
    for (int i = 0; i < spans; i++) {
      String spanId = spanId();
      spanIds.add(spanId);
      spanJson.append(i == 0 ? "" : ",").append(span(traceId, spanId, i));
    }
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name",\
        "value":{"stringValue":"%s"}}]},"scopeSpans":[{"spans":[%s]}]}]}"""
            .formatted(service, spanJson);
    return new Message(json.getBytes(StandardCharsets.UTF_8), traceId, List.copyOf(spanIds));
  }

  /** OTLP/JSON whose ids are base64, as protobuf's canonical JSON would write them. */
  static byte[] jsonWithBase64Ids() {
    return """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==",\
        "spanId":"EjRWeJCrze8=","name":"GET /cart"}]}]}]}"""
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String span(String traceId, String spanId, int i) {
    return """
        {"traceId":"%s","spanId":"%s","name":"GET /cart","kind":2,\
        "startTimeUnixNano":"%d","endTimeUnixNano":"%d"}"""
        .formatted(traceId, spanId, START + i, START + 250_000_000L + i);
  }

  private String traceId() {
    return "%032x".formatted(0xABC0_0000_0000L + nextId.getAndIncrement());
  }

  private String spanId() {
    return "%016x".formatted(0x5000_0000_0000L + nextId.getAndIncrement());
  }
}
