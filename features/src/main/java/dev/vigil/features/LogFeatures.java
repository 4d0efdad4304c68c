package dev.vigil.features;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service's log records over one window.
 *
 * @param total log records in the window
 * @param bySeverity records per severity class, every class present (0 when none)
 * @param errors ERROR and FATAL records
 * @param errorsPerSecond errors divided by the window length
 * @param errorShare errors divided by the total, 0 when there were none
 * @param errorTraceIds trace ids of some error records, first seen first, at most {@value
 *     #MAX_EXAMPLES}
 * @param topErrorMessages the most frequent error messages, after replacing numbers, hex ids and
 *     UUIDs with placeholders, most frequent first, at most {@value #MAX_EXAMPLES}
 */
public record LogFeatures(
    String service,
    long total,
    Map<SeverityClass, Long> bySeverity,
    long errors,
    double errorsPerSecond,
    double errorShare,
    List<String> errorTraceIds,
    List<MessageCount> topErrorMessages) {

  public static final int MAX_EXAMPLES = 5;

  /**
   * A normalised error message and how often it occurred in the window.
   *
   * @param count occurrences; an upper bound when more distinct messages occurred than are tracked
   *     (see {@code MessageTemplateCounter})
   */
  public record MessageCount(String message, long count) {}

  public LogFeatures {
    EnumMap<SeverityClass, Long> all = new EnumMap<>(SeverityClass.class);
    for (SeverityClass c : SeverityClass.values()) {
      all.put(c, bySeverity.getOrDefault(c, 0L));
    }
    bySeverity = Collections.unmodifiableMap(all);
    errorTraceIds = List.copyOf(errorTraceIds);
    topErrorMessages = List.copyOf(topErrorMessages);
  }

  /** No log records. */
  public static LogFeatures none(String service) {
    return new LogFeatures(service, 0, Map.of(), 0, 0, 0, List.of(), List.of());
  }

  /**
   * The scalar features by name: {@code log:count}, {@code log:count{severity=<class>}} for each
   * class, {@code log:errors}, {@code log:error_rate} (errors per second) and {@code
   * log:error_share}; empty when the window had no log records of the service.
   */
  public Map<String, Double> values() {
    if (total == 0) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("log:count", (double) total);
    bySeverity.forEach((c, n) -> out.put("log:count{severity=" + c.label() + "}", (double) n));
    out.put("log:errors", (double) errors);
    out.put("log:error_rate", errorsPerSecond);
    out.put("log:error_share", errorShare);
    return Collections.unmodifiableMap(out);
  }

  /** The unit of a feature named by {@link #values()}. */
  public static String unitOf(String feature) {
    return switch (feature) {
      case "log:error_rate" -> "1/s";
      case "log:error_share" -> "1";
      default -> "{log}";
    };
  }
}
