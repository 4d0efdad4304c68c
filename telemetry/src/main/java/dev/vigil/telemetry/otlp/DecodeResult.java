package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.TelemetryBatch;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a lenient decode ({@link OtlpDecoder#decodePartial}): the items that passed
 * validation and a count of the items (spans, metric data points, log records) that did not.
 *
 * @param batch the accepted items
 * @param rejectedByReason rejected items by {@link OtlpDecodeException} reason code, in the order
 *     the reasons were first seen; empty when everything was accepted
 * @param message a human-readable explanation of the first rejection, or empty
 */
public record DecodeResult(
    TelemetryBatch batch, Map<String, Long> rejectedByReason, String message) {

  public DecodeResult {
    // Map.copyOf would lose the order, and with it which reason came first.
    rejectedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(rejectedByReason));
  }

  /** A result with nothing rejected. */
  public static DecodeResult complete(TelemetryBatch batch) {
    return new DecodeResult(batch, Map.of(), "");
  }

  /** The reason of the first rejection (the one {@link #message} explains), or empty. */
  public String firstReason() {
    return rejectedByReason.isEmpty() ? "" : rejectedByReason.keySet().iterator().next();
  }

  /** The number of rejected items over all reasons. */
  public long rejected() {
    return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
  }
}
