package dev.vigil.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Hostile OTLP inputs and what each must end as: through the OTLP/HTTP receiver (status, rejected
 * items, reason) and through the Kafka source (items accepted, dead letter with a reason and the
 * items it rejected). Where HTTP answers a partial success, Kafka hands the same valid items to the
 * sink and dead-letters the record, with its original bytes, for the same rejected items and
 * reason; a message that does not decode at all is dead-lettered whole.
 */
final class HostileCorpus {
  /** "Now" for the receiver's clock: the fixture timestamps are in November 2023. */
  static final Instant NOW = Instant.parse("2023-11-14T23:00:00Z");

  static final long START = 1_700_000_000_000_000_000L;

  /** The body limit of the receiver under test; over it is 413. */
  static final int HTTP_LIMIT = 12 * 1024 * 1024;

  /**
   * One hostile input.
   *
   * @param httpStatus the status the receiver answers
   * @param httpItems items the receiver hands to the sink
   * @param httpRejected items a partial success reports as rejected
   * @param reason the rejection reason (400/413 status detail, or partial success), or null
   * @param kafkaItems items the Kafka source hands to the sink, or -1 when the case is not sent
   *     through Kafka (no producer can write it)
   * @param kafkaRejected items the Kafka dead letter rejects ({@link DeadLetters#REJECTED_ITEMS});
   *     0 when the record is dead-lettered whole or has no dead letter
   * @param kafkaReason the dead-letter reason, or null when the record has no dead letter
   */
  record Case(
      String name,
      Signal signal,
      OtlpEncoding encoding,
      byte[] body,
      int httpStatus,
      int httpItems,
      int httpRejected,
      String reason,
      int kafkaItems,
      int kafkaRejected,
      String kafkaReason) {

    @Override
    public String toString() {
      return name;
    }

    boolean throughKafka() {
      return kafkaItems >= 0;
    }
  }

  private HostileCorpus() {}

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    byte[] good = traces(List.of(span(1), span(2), span(3)), "cart").toByteArray();

    c.add(bad("truncated protobuf", Arrays.copyOf(good, good.length - 9), "malformed_protobuf"));
    byte[] random = new byte[512];
    new Random(42).nextBytes(random);
    random[0] = (byte) 0xFF;
    c.add(bad("random bytes", random, "malformed_protobuf"));
    c.add(
        bad(
            "metrics protobuf sent as traces",
            metrics(gauge("cpu", 0.5)).toByteArray(),
            "malformed_protobuf"));
    c.add(
        partial(
            "logs protobuf sent as traces",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            logs(log(START)).toByteArray(),
            0,
            1,
            "invalid_trace_id"));
    c.add(
        partial(
            "JSON with base64 ids",
            Signal.TRACES,
            OtlpEncoding.OTLP_JSON,
            utf8(
                """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==",\
                "spanId":"EjRWeJCrze8=","name":"x","startTimeUnixNano":"%d",\
                "endTimeUnixNano":"%d"}]}]}]}"""
                    .formatted(START, START + 1)),
            0,
            1,
            "invalid_trace_id"));
    c.add(
        partial(
            "trace id of 15 bytes",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1), span(2).setTraceId(bytes(15, 7))), "cart").toByteArray(),
            1,
            1,
            "invalid_trace_id"));
    c.add(
        partial(
            "all-zero span id",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1).setSpanId(bytes(8, 0)), span(2)), "cart").toByteArray(),
            1,
            1,
            "invalid_span_id"));
    c.add(
        partial(
            "parent span id of 4 bytes",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1).setParentSpanId(bytes(4, 9))), "cart").toByteArray(),
            0,
            1,
            "invalid_span_id"));
    c.add(
        new Case(
            "empty body",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            new byte[0],
            200,
            0,
            0,
            null,
            0,
            0,
            "empty_message"));
    c.add(
        new Case(
            "over the size limit",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            new byte[HTTP_LIMIT + 1],
            413,
            0,
            0,
            "too_large",
            -1,
            0,
            null));
    c.add(
        ok(
            "missing service.name",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1)), null).toByteArray(),
            1));
    c.add(
        partial(
            "end before start",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1), span(2).setEndTimeUnixNano(START - 1_000_000)), "cart")
                .toByteArray(),
            1,
            1,
            "end_before_start"));
    c.add(
        partial(
            "timestamps in seconds, not nanoseconds (1970)",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(
                    List.of(
                        span(1)
                            .setStartTimeUnixNano(1_700_000_000L)
                            .setEndTimeUnixNano(1_700_000_001L)),
                    "cart")
                .toByteArray(),
            0,
            1,
            "timestamp_out_of_range"));
    c.add(
        partial(
            "uint64 timestamp past 2262",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1).setEndTimeUnixNano(-5L)), "cart").toByteArray(),
            0,
            1,
            "timestamp_out_of_range"));
    long in2031 = Instant.parse("2031-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    c.add(
        new Case(
            "timestamps eight years ahead",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(
                    List.of(
                        span(1),
                        span(2).setStartTimeUnixNano(in2031).setEndTimeUnixNano(in2031 + 5)),
                    "cart")
                .toByteArray(),
            200,
            1,
            1,
            "timestamp_out_of_range",
            // Kafka has no clock bound (topics may hold simulations run ahead of the wall clock).
            2,
            0,
            null));
    c.add(
        partial(
            "NaN gauge",
            Signal.METRICS,
            OtlpEncoding.OTLP_PROTO,
            metrics(gauge("cpu", Double.NaN), gauge("mem", 0.25)).toByteArray(),
            1,
            1,
            "non_finite_value"));
    c.add(
        partial(
            "infinite sum",
            Signal.METRICS,
            OtlpEncoding.OTLP_PROTO,
            metrics(sum("requests", Double.POSITIVE_INFINITY)).toByteArray(),
            0,
            1,
            "non_finite_value"));
    c.add(
        partial(
            "JSON NaN and -Infinity",
            Signal.METRICS,
            OtlpEncoding.OTLP_JSON,
            utf8(
                """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"cpu","gauge":\
                {"dataPoints":[{"timeUnixNano":"%d","asDouble":"NaN"},\
                {"timeUnixNano":"%d","asDouble":"-Infinity"},\
                {"timeUnixNano":"%d","asDouble":1.5}]}}]}]}]}"""
                    .formatted(START, START, START)),
            1,
            2,
            "non_finite_value"));
    c.add(
        ok(
            "NaN flagged as no recorded value (staleness marker)",
            Signal.METRICS,
            OtlpEncoding.OTLP_PROTO,
            metrics(
                    gauge(
                        "cpu",
                        Double.NaN,
                        DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE),
                    gauge("mem", 0.25))
                .toByteArray(),
            1));
    c.add(
        partial(
            "histogram buckets that do not fit the bounds",
            Signal.METRICS,
            OtlpEncoding.OTLP_PROTO,
            metrics(histogram(List.of(1.0, 2.0), List.of(1L, 2L))).toByteArray(),
            0,
            1,
            "invalid_histogram"));
    c.add(
        ok(
            "attributes nested 20 deep",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            traces(List.of(span(1).addAttributes(nested(20))), "cart").toByteArray(),
            1));
    c.add(
        bad(
            "attributes nested 60 deep (past protobuf's recursion limit)",
            traces(List.of(span(1).addAttributes(nested(60))), "cart").toByteArray(),
            "malformed_protobuf"));
    c.add(
        new Case(
            "JSON nested 5000 deep",
            Signal.LOGS,
            OtlpEncoding.OTLP_JSON,
            utf8("{\"resourceLogs\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
            400,
            0,
            0,
            "malformed_json",
            0,
            0,
            "malformed_json"));
    byte[] badUtf8 = traces(List.of(span(1).setName("GET \u00e9")), "cart").toByteArray();
    int e9 = indexOf(badUtf8, "GET ".getBytes(StandardCharsets.UTF_8)) + 4;
    badUtf8[e9] = (byte) 0xC3;
    badUtf8[e9 + 1] = (byte) 0x28; // 0xC3 0x28 is not UTF-8
    c.add(bad("invalid UTF-8 in a protobuf string", badUtf8, "malformed_protobuf"));
    byte[] badJsonUtf8 =
        utf8(
            "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"XX\"}}]}}]}");
    int xx = indexOf(badJsonUtf8, utf8("XX"));
    badJsonUtf8[xx] = (byte) 0xFF;
    badJsonUtf8[xx + 1] = (byte) 0xFE;
    c.add(
        new Case(
            "invalid UTF-8 in JSON",
            Signal.LOGS,
            OtlpEncoding.OTLP_JSON,
            badJsonUtf8,
            400,
            0,
            0,
            "malformed_json",
            0,
            0,
            "malformed_json"));
    c.add(
        ok(
            "a million tiny attributes",
            Signal.TRACES,
            OtlpEncoding.OTLP_PROTO,
            millionAttributes(),
            1));
    c.add(
        ok(
            "JSON with unknown fields and upper-case hex ids",
            Signal.TRACES,
            OtlpEncoding.OTLP_JSON,
            utf8(
                """
                {"resourceSpans":[{"futureField":{"x":1},"scopeSpans":[{"spans":[{\
                "traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":"B7AD6B7169203331",\
                "name":"GET /","kind":2,"startTimeUnixNano":%d,"endTimeUnixNano":"%d",\
                "somethingNew":[1,2,3]}]}]}]}"""
                    .formatted(START, START + 1000)),
            1));
    c.add(
        partial(
            "log record without any time",
            Signal.LOGS,
            OtlpEncoding.OTLP_PROTO,
            logs(log(0), log(START)).toByteArray(),
            1,
            1,
            "timestamp_out_of_range"));
    return c;
  }

  /** A valid traces message of {@code n} spans, to send between the hostile ones. */
  static byte[] valid(int id, int n) {
    List<Span.Builder> spans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spans.add(span(1000 * id + i));
    }
    return traces(spans, "valid").toByteArray();
  }

  private static Case bad(String name, byte[] body, String reason) {
    return new Case(
        name, Signal.TRACES, OtlpEncoding.OTLP_PROTO, body, 400, 0, 0, reason, 0, 0, reason);
  }

  private static Case ok(
      String name, Signal signal, OtlpEncoding encoding, byte[] body, int items) {
    return new Case(name, signal, encoding, body, 200, items, 0, null, items, 0, null);
  }

  private static Case partial(
      String name,
      Signal signal,
      OtlpEncoding encoding,
      byte[] body,
      int accepted,
      int rejected,
      String reason) {
    return new Case(
        name, signal, encoding, body, 200, accepted, rejected, reason, accepted, rejected, reason);
  }

  static Span.Builder span(int i) {
    return Span.newBuilder()
        .setTraceId(
            ByteString.copyFrom(HexFormat.of().parseHex("%032x".formatted(0xABCDEF00L + i))))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("%016x".formatted(0x5EED0000L + i))))
        .setName("GET /cart")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START + i)
        .setEndTimeUnixNano(START + 250_000_000L + i);
  }

  private static ByteString bytes(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return ByteString.copyFrom(b);
  }

  private static ExportTraceServiceRequest traces(List<Span.Builder> spans, String service) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    spans.forEach(scope::addSpans);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder().setResource(resource(service)).addScopeSpans(scope))
        .build();
  }

  private static Resource resource(String service) {
    Resource.Builder r = Resource.newBuilder();
    if (service != null) {
      r.addAttributes(
          KeyValue.newBuilder()
              .setKey("service.name")
              .setValue(AnyValue.newBuilder().setStringValue(service)));
    }
    return r.build();
  }

  private static ExportMetricsServiceRequest metrics(Metric... metrics) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (Metric m : metrics) {
      scope.addMetrics(m);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(resource("cart")).addScopeMetrics(scope))
        .build();
  }

  private static Metric gauge(String name, double value) {
    return gauge(name, value, 0);
  }

  private static Metric gauge(String name, double value, int flags) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .setTimeUnixNano(START)
                        .setAsDouble(value)
                        .setFlags(flags)))
        .build();
  }

  private static Metric sum(String name, double value) {
    return Metric.newBuilder()
        .setName(name)
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporalityValue(2)
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .setStartTimeUnixNano(START - 1_000_000_000L)
                        .setTimeUnixNano(START)
                        .setAsDouble(value)))
        .build();
  }

  private static Metric histogram(List<Double> bounds, List<Long> counts) {
    return Metric.newBuilder()
        .setName("latency")
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporalityValue(2)
                .addDataPoints(
                    HistogramDataPoint.newBuilder()
                        .setTimeUnixNano(START)
                        .setCount(counts.stream().mapToLong(Long::longValue).sum())
                        .setSum(3.0)
                        .addAllExplicitBounds(bounds)
                        .addAllBucketCounts(counts)))
        .build();
  }

  private static ExportLogsServiceRequest logs(LogRecord... records) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (LogRecord r : records) {
      scope.addLogRecords(r);
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder().setResource(resource("cart")).addScopeLogs(scope))
        .build();
  }

  private static LogRecord log(long time) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(time)
        .setSeverityNumberValue(17)
        .setBody(AnyValue.newBuilder().setStringValue("payment declined"))
        .build();
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

  /** One span with 1,000,000 attributes {@code k=true}, written directly (about 9 MB). */
  private static byte[] millionAttributes() {
    byte[] kv =
        KeyValue.newBuilder()
            .setKey("k")
            .setValue(AnyValue.newBuilder().setBoolValue(true))
            .build()
            .toByteArray();
    Span base = span(1).build();
    try {
      ByteArrayOutputStream spanBytes = new ByteArrayOutputStream(12_000_000);
      base.writeTo(spanBytes);
      CodedOutputStream out = CodedOutputStream.newInstance(spanBytes);
      for (int i = 0; i < 1_000_000; i++) {
        out.writeByteArray(9, kv); // Span.attributes = 9
      }
      out.flush();
      Span span = Span.parseFrom(spanBytes.toByteArray());
      return traces(List.of(span.toBuilder()), "cart").toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
