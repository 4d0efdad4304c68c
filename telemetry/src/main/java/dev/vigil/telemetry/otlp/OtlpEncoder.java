package dev.vigil.telemetry.otlp;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.AttributeBytes;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanRecord;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource.Builder;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes span records back into OTLP {@code TracesData} protobuf, the inverse of {@link
 * OtlpDecoder} for what a {@link SpanRecord} holds: decoding the bytes gives records equal to the
 * input. Used where decoded spans travel on (the Kafka Streams repartition by trace id), so that
 * every hop carries standard OTLP bytes. Spans of one {@link Resource} share one {@code
 * ResourceSpans}.
 */
public final class OtlpEncoder {
  private static final HexFormat HEX = HexFormat.of();

  private OtlpEncoder() {}

  public static byte[] encodeSpans(Collection<SpanRecord> spans) {
    Map<Resource, ScopeSpans.Builder> byResource = new IdentityHashMap<>();
    Map<Resource, ScopeSpans.Builder> byValue = new LinkedHashMap<>();
    for (SpanRecord s : spans) {
      ScopeSpans.Builder scope = byResource.get(s.resource());
      if (scope == null) {
        scope = byValue.computeIfAbsent(s.resource(), r -> ScopeSpans.newBuilder());
        byResource.put(s.resource(), scope);
      }
      scope.addSpans(span(s));
    }
    TracesData.Builder data = TracesData.newBuilder();
    byValue.forEach(
        (resource, scope) ->
            data.addResourceSpans(
                ResourceSpans.newBuilder().setResource(resource(resource)).addScopeSpans(scope)));
    return data.build().toByteArray();
  }

  private static Span span(SpanRecord s) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(s.traceId()))
            .setSpanId(id(s.spanId()))
            .setName(s.name())
            .setKindValue(s.kind().ordinal())
            .setStartTimeUnixNano(s.startEpochNanos())
            .setEndTimeUnixNano(s.endEpochNanos())
            .setStatus(Status.newBuilder().setCodeValue(s.status().ordinal()));
    if (s.parentSpanId() != null && !s.parentSpanId().isEmpty()) {
      b.setParentSpanId(id(s.parentSpanId()));
    }
    s.attributes().forEach((k, v) -> b.addAttributes(keyValue(k, v)));
    return b.build();
  }

  private static io.opentelemetry.proto.resource.v1.Resource resource(Resource r) {
    Builder b = io.opentelemetry.proto.resource.v1.Resource.newBuilder();
    r.attributes().forEach((k, v) -> b.addAttributes(keyValue(k, v)));
    if (!r.attributes().containsKey(Resource.SERVICE_NAME)
        && !r.serviceName().equals(Resource.UNKNOWN_SERVICE)) {
      b.addAttributes(keyValue(Resource.SERVICE_NAME, r.serviceName()));
    }
    return b.build();
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HEX.parseHex(hex));
  }

  private static KeyValue keyValue(String key, Object value) {
    return KeyValue.newBuilder().setKey(key).setValue(value(value)).build();
  }

  private static AnyValue value(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      b.setIntValue(((Number) v).longValue());
    } else if (v instanceof Number n) {
      b.setDoubleValue(n.doubleValue());
    } else if (v instanceof AttributeBytes bytes) {
      b.setBytesValue(ByteString.copyFrom(bytes.toByteArray()));
    } else if (v instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      list.forEach(o -> a.addValues(value(o)));
      b.setArrayValue(a);
    } else if (v instanceof Map<?, ?> map) {
      KeyValueList.Builder kv = KeyValueList.newBuilder();
      map.forEach((k, o) -> kv.addValues(keyValue(String.valueOf(k), o)));
      b.setKvlistValue(kv);
    } else if (v != null) {
      b.setStringValue(String.valueOf(v));
    }
    return b.build();
  }
}
