package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.AttributeBytes;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts OTLP {@code KeyValue} lists to the value model of {@code AttributeValues}.
 *
 * <p>Like the SDK's attribute limits, this bounds what one item may carry: at most {@link
 * #MAX_ATTRIBUTES} entries per attribute list, key-value list or array (the rest are dropped, as an
 * SDK drops attributes past its limit), and nesting deeper than {@link #MAX_DEPTH} is rendered as
 * text. Without the cap a single span with a million tiny attributes would hold a million-entry map
 * in the feature windows.
 */
final class Attributes {
  /** Nesting beyond this depth is rendered as text rather than recursed into. */
  static final int MAX_DEPTH = 16;

  /** Entries kept per attribute list, key-value list or array; the rest are dropped. */
  static final int MAX_ATTRIBUTES = 1_024;

  private Attributes() {}

  static Map<String, Object> toMap(List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return Map.of();
    }
    return toMap(attributes, 0);
  }

  private static Map<String, Object> toMap(List<KeyValue> attributes, int depth) {
    int n = Math.min(attributes.size(), MAX_ATTRIBUTES);
    Map<String, Object> out = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      KeyValue kv = attributes.get(i);
      Object v = value(kv.getValue(), depth);
      if (v != null) {
        out.put(kv.getKey(), v);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  static Object value(AnyValue v, int depth) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BYTES_VALUE -> AttributeBytes.of(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        if (depth >= MAX_DEPTH) {
          yield v.getArrayValue().toString();
        }
        int n = Math.min(v.getArrayValue().getValuesCount(), MAX_ATTRIBUTES);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Object o = value(v.getArrayValue().getValues(i), depth + 1);
          if (o != null) {
            list.add(o);
          }
        }
        yield Collections.unmodifiableList(list);
      }
      case KVLIST_VALUE ->
          depth >= MAX_DEPTH
              ? v.getKvlistValue().toString()
              : toMap(v.getKvlistValue().getValuesList(), depth + 1);
      // VALUE_NOT_SET, and value kinds newer than this code (e.g. string-table indices).
      default -> null;
    };
  }

  /** A log body as text: strings as they are, structured values rendered. */
  static String text(AnyValue v) {
    Object o = value(v, 0);
    return o == null ? "" : o.toString();
  }
}
