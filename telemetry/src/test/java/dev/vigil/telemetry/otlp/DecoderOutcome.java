package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.AttributeBytes;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.otlp.OtlpDecoder.TraceProtobufDecoding;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one decode of a protobuf traces message ends in, in a form that compares by value: the error
 * reason and message, or the records (byte-array attributes as hex, nested maps in their order) and
 * the rejections by reason with the first rejection's message.
 */
record DecoderOutcome(
    String error, List<Object> spans, Map<String, Long> rejected, String message) {

  /** The all-or-nothing decode. */
  static DecoderOutcome strict(byte[] payload, TraceProtobufDecoding decoding) {
    try {
      var batch = OtlpDecoder.decode(Signal.TRACES, payload, OtlpEncoding.OTLP_PROTO, decoding);
      return new DecoderOutcome(null, spans(batch.spans()), Map.of(), "");
    } catch (OtlpDecodeException e) {
      return new DecoderOutcome(e.reason(), List.of(), Map.of(), e.getMessage());
    }
  }

  /** The lenient decode with a receiver's clock bound. */
  static DecoderOutcome partial(byte[] payload, long notAfter, TraceProtobufDecoding decoding) {
    try {
      DecodeResult r =
          OtlpDecoder.decodePartial(
              Signal.TRACES, payload, OtlpEncoding.OTLP_PROTO, notAfter, decoding);
      return new DecoderOutcome(null, spans(r.batch().spans()), r.rejectedByReason(), r.message());
    } catch (OtlpDecodeException e) {
      return new DecoderOutcome(e.reason(), List.of(), Map.of(), e.getMessage());
    }
  }

  int spanCount() {
    return spans.size();
  }

  private static List<Object> spans(List<SpanRecord> spans) {
    List<Object> out = new ArrayList<>();
    for (SpanRecord s : spans) {
      out.add(
          List.of(
              s.traceId(),
              s.spanId(),
              s.parentSpanId(),
              s.resource().serviceName(),
              topLevel(s.resource().attributes()),
              s.name(),
              s.kind(),
              s.startEpochNanos(),
              s.endEpochNanos(),
              s.status(),
              topLevel(s.attributes())));
    }
    return out;
  }

  /** Records copy their maps (order unspecified): compared by content. */
  private static Map<String, Object> topLevel(Map<String, Object> attributes) {
    Map<String, Object> out = new TreeMap<>();
    attributes.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  /** Nested values keep their order (it shows when they are rendered as text). */
  private static Object value(Object v) {
    if (v instanceof AttributeBytes b) {
      return "bytes:" + HexFormat.of().formatHex(b.toByteArray());
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(o -> out.add(value(o)));
      return List.of("list", out);
    }
    if (v instanceof Map<?, ?> map) {
      List<Object> out = new ArrayList<>();
      map.forEach((k, o) -> out.add(List.of(k, value(o))));
      return List.of("map", out);
    }
    return List.of(v.getClass().getSimpleName(), v);
  }
}
