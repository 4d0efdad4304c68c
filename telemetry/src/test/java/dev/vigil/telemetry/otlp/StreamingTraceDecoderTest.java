package dev.vigil.telemetry.otlp;

import static dev.vigil.telemetry.otlp.RandomTraces.START;
import static dev.vigil.telemetry.otlp.RandomTraces.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.vigil.telemetry.AttributeBytes;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecoder.TraceProtobufDecoding;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming trace decoder against the reference ({@code parseFrom} and a walk of the tree): the
 * same records, or the same error reason and message, on every input, valid or not.
 */
class StreamingTraceDecoderTest {
  private static final Path EXAMPLES = Path.of("../../shared/datasets/otlp-examples/examples");
  private static final long A_YEAR_LATER = START + 365L * 86_400 * 1_000_000_000L;

  @Test
  void randomMessagesAndRandomDamageToThemDecodeAsParseFromDecodesThem() {
    int handled = 0;
    int messages = 1_500;
    for (long seed = 0; seed < messages; seed++) {
      RandomTraces random = new RandomTraces(seed);
      byte[] bytes = random.traces().toByteArray();
      assertSameOutcome("seed " + seed, bytes);
      if (streams(bytes)) {
        handled++;
      }
      byte[] damaged = bytes;
      for (int i = 0; i < 6; i++) {
        damaged = random.mutate(i % 2 == 0 ? bytes : damaged);
        assertSameOutcome("seed " + seed + " mutation " + i, damaged);
      }
    }
    // The fast path must be the one that runs: only unknown groups send a message to parseFrom.
    assertThat(handled).isGreaterThan(messages * 8 / 10);
  }

  @Test
  void theOfficialTraceExampleAsProtobuf() throws Exception {
    byte[] json = Files.readAllBytes(EXAMPLES.resolve("trace.json"));
    byte[] bytes = OtlpDecoder.traces(json, OtlpEncoding.OTLP_JSON, true).toByteArray();
    assertThat(streams(bytes)).isTrue();
    DecoderOutcome outcome = assertSameOutcome("trace.json", bytes);
    assertThat(outcome.spanCount()).isEqualTo(1);
  }

  @Test
  void repeatedFieldsOfASpanAreMergedAsParseFromMergesThem() {
    byte[] first =
        span(1)
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .build()
            .toByteArray();
    byte[] second =
        Span.newBuilder()
            .setName("renamed")
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("00000000000000aa")))
            .setStatus(Status.newBuilder().setMessage("no code"))
            .addAttributes(string("k", "second"))
            .addAttributes(string("other", "x"))
            .build()
            .toByteArray();
    byte[] merged = traces(field(1, field(2, field(2, first, second)))); // one span, fields twice
    assertThat(streams(merged)).isTrue();
    DecoderOutcome outcome = assertSameOutcome("merged span", merged);
    assertThat(outcome.spanCount()).isEqualTo(1);
  }

  @Test
  void shapesLeftToParseFromStillDecodeAsItDecodesThem() {
    byte[] resource = resource("cart").toByteArray();
    byte[] scope = ScopeSpans.newBuilder().addSpans(span(2)).build().toByteArray();
    byte[] twoValues =
        span(3)
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("twice")
                    .setValue(AnyValue.newBuilder().setStringValue("a")))
            .build()
            .toByteArray();
    // The attribute's AnyValue gets a second member (an int) appended inside it.
    List<byte[]> cases = new ArrayList<>();
    cases.add(traces(field(1, field(2, scope), field(1, resource)))); // resource after spans
    cases.add(traces(field(1, field(1, resource), field(1, resource("pay").toByteArray()))));
    cases.add(traces(field(1, field(1, resource), field(2, field(2, twoValues, kvTwice())))));
    cases.add(traces(field(1, field(1, resource), field(2, field(2, anyValueTwice())))));
    cases.add(withAttribute(nested(20)));
    cases.add(withAttribute(nested(60)));
    cases.add(
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setUnknownFields(
                        UnknownFieldSet.newBuilder()
                            .addField(
                                99,
                                UnknownFieldSet.Field.newBuilder()
                                    .addGroup(UnknownFieldSet.getDefaultInstance())
                                    .build())
                            .build())
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(4))))
            .build()
            .toByteArray());
    for (int i = 0; i < cases.size(); i++) {
      assertSameOutcome("case " + i, cases.get(i));
    }
    assertThat(DecoderOutcome.strict(cases.get(5), TraceProtobufDecoding.STREAMING).error())
        .isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
  }

  @Test
  void invalidUtf8InAStringTheRecordsDoNotKeepIsStillMalformed() {
    Span.Builder span = span(5);
    List<byte[]> cases =
        List.of(
            traces(span.clone().setTraceState("XX").build()),
            traces(span.clone().addEvents(Span.Event.newBuilder().setName("XX")).build()),
            traces(span.clone().addLinks(Span.Link.newBuilder().setTraceState("XX")).build()),
            traces(span.clone().setStatus(Status.newBuilder().setMessage("XX")).build()),
            traces(span.clone().addAttributes(string("XX", "v")).build()),
            traces(span.clone().addAttributes(string("k", "XX")).build()),
            TracesData.newBuilder()
                .addResourceSpans(
                    ResourceSpans.newBuilder()
                        .setSchemaUrl("XX")
                        .addScopeSpans(
                            ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("XX"))
                                .addSpans(span)))
                .build()
                .toByteArray());
    for (byte[] bytes : cases) {
      byte[] bad = bytes.clone();
      int at = indexOf(bad, "XX".getBytes(StandardCharsets.UTF_8));
      bad[at] = (byte) 0xC3;
      bad[at + 1] = (byte) 0x28;
      assertSameOutcome("invalid UTF-8", bad);
      assertThat(DecoderOutcome.strict(bad, TraceProtobufDecoding.STREAMING).error())
          .isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
    }
  }

  @Test
  void aBytesAttributeDecodesToEqualRecordsWithBothDecoders() throws Exception {
    byte[] bytes =
        withAttribute(
            KeyValue.newBuilder()
                .setKey("payload")
                .setValue(
                    AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3})))
                .build());
    TelemetryBatch streaming =
        OtlpDecoder.decode(
            Signal.TRACES, bytes, OtlpEncoding.OTLP_PROTO, TraceProtobufDecoding.STREAMING);
    TelemetryBatch parsed =
        OtlpDecoder.decode(
            Signal.TRACES, bytes, OtlpEncoding.OTLP_PROTO, TraceProtobufDecoding.PARSE_FROM);
    assertThat(streaming).isEqualTo(parsed);
    assertThat(streaming.spans().get(0).attributes().get("payload"))
        .isEqualTo(AttributeBytes.of(new byte[] {1, 2, 3}))
        .hasToString("AQID");
  }

  @Test
  void attributesPastTheCapAreDroppedButStillChecked() {
    Span.Builder span = span(6);
    for (int i = 0; i < 3_000; i++) {
      span.addAttributes(string("k" + (i % 2_000), "v" + i));
    }
    byte[] bytes = traces(span.build());
    assertThat(streams(bytes)).isTrue();
    assertSameOutcome("3000 attributes", bytes);
    span.addAttributes(string("late", "XX"));
    byte[] bad = traces(span.build());
    int at = indexOf(bad, "XX".getBytes(StandardCharsets.UTF_8));
    bad[at] = (byte) 0xFF;
    assertSameOutcome("bad attribute past the cap", bad);
  }

  @Test
  void otherSignalsAndNoiseSentAsTraces() {
    byte[] logs =
        LogsData.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource("cart"))
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(
                                LogRecord.newBuilder()
                                    .setTimeUnixNano(START)
                                    .setBody(AnyValue.newBuilder().setStringValue("hello")))))
            .build()
            .toByteArray();
    assertSameOutcome("logs", logs);
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      assertSameOutcome("noise " + i, noise);
    }
  }

  private static DecoderOutcome assertSameOutcome(String what, byte[] bytes) {
    DecoderOutcome reference = null;
    for (int mode = 0; mode < 3; mode++) {
      DecoderOutcome expected = outcome(mode, bytes, TraceProtobufDecoding.PARSE_FROM);
      DecoderOutcome actual = outcome(mode, bytes, TraceProtobufDecoding.STREAMING);
      if (!actual.equals(expected)) {
        String input = Base64.getEncoder().encodeToString(bytes);
        assertThat(actual).as(what + " (mode " + mode + "): " + input).isEqualTo(expected);
      }
      if (mode == 1) {
        reference = expected;
      }
    }
    return reference;
  }

  private static DecoderOutcome outcome(int mode, byte[] bytes, TraceProtobufDecoding decoding) {
    return switch (mode) {
      case 0 -> DecoderOutcome.strict(bytes, decoding);
      case 1 -> DecoderOutcome.partial(bytes, Timestamps.MAX_EPOCH_NANOS, decoding);
      default -> DecoderOutcome.partial(bytes, A_YEAR_LATER, decoding);
    };
  }

  /** Whether the streaming path decodes the message itself rather than handing it over. */
  private static boolean streams(byte[] bytes) {
    return StreamingTraceDecoder.spans(bytes, new RejectionsAccumulator(Long.MAX_VALUE)) != null;
  }

  private static Span.Builder span(int i) {
    return Span.newBuilder()
        .setTraceId(
            ByteString.copyFrom(HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c")))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("b7ad6b71692033" + (10 + i))))
        .setName("GET /cart")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START + i)
        .setEndTimeUnixNano(START + 250_000_000L + i)
        .addAttributes(string("k", "first"));
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(string("service.name", service)).build();
  }

  private static byte[] traces(byte[] resourceSpansField) {
    return resourceSpansField;
  }

  private static byte[] traces(Span span) {
    return TracesData.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(resource("cart"))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build()
        .toByteArray();
  }

  private static byte[] withAttribute(KeyValue kv) {
    return traces(span(7).addAttributes(kv).build());
  }

  /** A KeyValue field (9) whose value field comes twice: parseFrom merges the two values. */
  private static byte[] kvTwice() {
    byte[] value = AnyValue.newBuilder().setStringValue("a").build().toByteArray();
    return field(
        9, field(1, "twice".getBytes(StandardCharsets.UTF_8)), field(2, value), field(2, value));
  }

  /** A span whose one attribute value holds two members of the oneof. */
  private static byte[] anyValueTwice() {
    byte[] span = span(8).build().toByteArray();
    byte[] value =
        concat(
            AnyValue.newBuilder().setStringValue("a").build().toByteArray(),
            AnyValue.newBuilder().setIntValue(7).build().toByteArray());
    return concat(span, field(9, field(1, "k2".getBytes(StandardCharsets.UTF_8)), field(2, value)));
  }

  private static KeyValue nested(int depth) {
    AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < depth; i++) {
      v =
          AnyValue.newBuilder()
              .setKvlistValue(
                  KeyValueList.newBuilder()
                      .addValues(KeyValue.newBuilder().setKey("k").setValue(v)))
              .build();
    }
    return KeyValue.newBuilder().setKey("deep").setValue(v).build();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }
}
