package dev.vigil.telemetry;

import java.util.Map;

/**
 * How OTLP attribute values are represented in Vigil's records: {@code String}, {@code Boolean},
 * {@code Long}, {@code Double}, {@link AttributeBytes}, {@code List<Object>} (array) and {@code
 * Map<String, Object>} (key-value list), mirroring the OTLP {@code AnyValue}. Empty values are
 * omitted.
 */
public final class AttributeValues {
  private AttributeValues() {}

  /** The attribute as a string, or {@code null} when absent. Non-string values are rendered. */
  public static String string(Map<String, Object> attributes, String key) {
    Object v = attributes.get(key);
    return v == null ? null : v.toString();
  }
}
