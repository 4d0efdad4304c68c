package dev.vigil.telemetry.otlp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the items a decode rejects, by reason, and keeps the first rejection; also carries the
 * latest timestamp the decode accepts. Not thread-safe.
 */
final class RejectionsAccumulator {
  private final Map<String, Long> byReason = new LinkedHashMap<>();
  private final long notAfterEpochNanos;
  private OtlpDecodeException first;

  /**
   * @param notAfterEpochNanos timestamps after this are rejected ({@link
   *     Timestamps#MAX_EPOCH_NANOS} when the caller has no clock)
   */
  RejectionsAccumulator(long notAfterEpochNanos) {
    this.notAfterEpochNanos = notAfterEpochNanos;
  }

  long notAfterEpochNanos() {
    return notAfterEpochNanos;
  }

  void reject(OtlpDecodeException e) {
    byReason.merge(e.reason(), 1L, Long::sum);
    if (first == null) {
      first = e;
    }
  }

  /** Adds the rejections of another accumulator, as if they had been made here after these. */
  void addAll(RejectionsAccumulator other) {
    other.byReason.forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
    if (first == null) {
      first = other.first;
    }
  }

  boolean isEmpty() {
    return first == null;
  }

  /** The first rejection, or null. */
  OtlpDecodeException first() {
    return first;
  }

  Map<String, Long> byReason() {
    return byReason;
  }
}
