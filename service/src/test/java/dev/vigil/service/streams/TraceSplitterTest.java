package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.otlp.DecodeResult;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Splitting OTLP protobuf on the wire gives each trace partition exactly the spans the decoded
 * route gave it, with their resources and scopes, and leaves the invalid ones to be rejected there.
 */
class TraceSplitterTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private final Random random = new Random(11);

  private Span.Builder span(byte[] traceId, int i) {
    byte[] spanId = new byte[8];
    random.nextBytes(spanId);
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setName("op-" + i)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0 + i * 1_000_000L)
        .setEndTimeUnixNano(T0 + i * 1_000_000L + 500_000L)
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("http.route")
                .setValue(AnyValue.newBuilder().setStringValue("/r/" + i)));
  }

  private static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service)))
        .build();
  }

  private byte[] traces() {
    TracesData.Builder data = TracesData.newBuilder();
    int i = 0;
    for (String service : List.of("frontend", "catalog")) {
      ResourceSpans.Builder rs =
          ResourceSpans.newBuilder()
              .setResource(resource(service))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
              // A field this build does not know: copied along, ignored by the decoder.
              .setUnknownFields(
                  UnknownFieldSet.newBuilder()
                      .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                      .build());
      for (String scopeName : List.of("http", "db")) {
        ScopeSpans.Builder scope =
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scopeName).setVersion("1"));
        for (int k = 0; k < 15; k++) {
          byte[] trace = new byte[16];
          random.nextBytes(trace);
          scope.addSpans(span(trace, i++));
        }
        rs.addScopeSpans(scope);
      }
      data.addResourceSpans(rs);
    }
    // A span whose trace id is 8 bytes: rejected by the decoder, on partition 0.
    data.addResourceSpans(
        ResourceSpans.newBuilder()
            .setResource(resource("cart"))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(new byte[8], i))));
    // A resource without spans: nothing of it goes anywhere.
    data.addResourceSpans(ResourceSpans.newBuilder().setResource(resource("idle")));
    return data.build().toByteArray();
  }

  private static DecodeResult decode(byte[] payload) {
    try {
      return OtlpDecoder.decodePartial(Signal.TRACES, payload, OtlpEncoding.OTLP_PROTO);
    } catch (dev.vigil.telemetry.otlp.OtlpDecodeException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eachPartitionGetsTheSpansOfItsTracesAsTheDecodedRouteWould() {
    byte[] payload = traces();
    DecodeResult whole = decode(payload);
    assertThat(whole.batch().spans()).hasSize(60);
    assertThat(whole.rejected()).isEqualTo(1);

    Map<Integer, byte[]> parts = TraceSplitter.split(payload, 3);
    assertThat(parts).isNotNull().containsOnlyKeys(0, 1, 2);
    List<SpanRecord> all = new ArrayList<>();
    Map<String, Long> rejected = new HashMap<>();
    parts.forEach(
        (p, part) -> {
          DecodeResult r = decode(part);
          for (SpanRecord s : r.batch().spans()) {
            assertThat(SpanRouter.partitionOf(s.traceId(), 3)).as(s.name()).isEqualTo(p);
          }
          all.addAll(r.batch().spans());
          r.rejectedByReason()
              .forEach((reason, n) -> rejected.merge(p + ":" + reason, n, Long::sum));
        });
    assertThat(all).containsExactlyInAnyOrderElementsOf(whole.batch().spans());
    assertThat(rejected).containsOnlyKeys("0:" + whole.firstReason());
    assertThat(rejected.values()).containsExactly(1L);
  }

  @Test
  void leavesWhatItDoesNotModelToTheDecoder() {
    assertThat(TraceSplitter.split(new byte[0], 3)).isNull();
    assertThat(TraceSplitter.split("not OTLP".getBytes(StandardCharsets.UTF_8), 3)).isNull();
    assertThat(TraceSplitter.split("{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_8), 3))
        .isNull();
    byte[] truncated = traces();
    assertThat(TraceSplitter.split(java.util.Arrays.copyOf(truncated, truncated.length - 3), 3))
        .isNull();
  }

  @Test
  void aMessageWithoutSpansHasNoPart() {
    byte[] payload =
        TracesData.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("idle")))
            .build()
            .toByteArray();
    assertThat(TraceSplitter.split(payload, 3)).isEmpty();
  }
}
