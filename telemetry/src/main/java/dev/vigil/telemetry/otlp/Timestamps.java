package dev.vigil.telemetry.otlp;

import java.time.Instant;

/**
 * Plausibility checks on OTLP timestamps (Unix epoch nanoseconds, unsigned 64-bit on the wire).
 *
 * <p>The decoder has no clock (time is injected elsewhere), so it checks an absolute window rather
 * than distance from now: a timestamp before 2000 is a unit mistake (seconds or milliseconds sent
 * as nanoseconds) and one after 2200 is garbage, including values past 2262 that Java reads as
 * negative. Data that is merely old is valid here (replays, offline analysis); the feature windows
 * handle lateness.
 */
public final class Timestamps {
  /** 2000-01-01T00:00:00Z. */
  public static final long MIN_EPOCH_NANOS =
      Instant.parse("2000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

  /** 2200-01-01T00:00:00Z. */
  public static final long MAX_EPOCH_NANOS =
      Instant.parse("2200-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

  private Timestamps() {}

  /** Checks a required timestamp. */
  static long required(String field, long nanos, long notAfter) throws OtlpDecodeException {
    if (nanos == 0) {
      throw new OtlpDecodeException(
          OtlpDecodeException.TIMESTAMP_OUT_OF_RANGE, field + " is missing");
    }
    return optional(field, nanos, notAfter);
  }

  /** Checks a timestamp where 0 means unset. */
  static long optional(String field, long nanos, long notAfter) throws OtlpDecodeException {
    if (nanos != 0 && (nanos < MIN_EPOCH_NANOS || nanos >= MAX_EPOCH_NANOS)) {
      throw new OtlpDecodeException(
          OtlpDecodeException.TIMESTAMP_OUT_OF_RANGE,
          field
              + " "
              + Long.toUnsignedString(nanos)
              + " is not between 2000 and 2200 in Unix epoch nanoseconds");
    }
    if (nanos > notAfter) {
      throw new OtlpDecodeException(
          OtlpDecodeException.TIMESTAMP_OUT_OF_RANGE,
          field
              + " "
              + Instant.ofEpochSecond(0, nanos)
              + " is later than the receiver accepts ("
              + Instant.ofEpochSecond(0, notAfter)
              + "); is the sender's clock wrong?");
    }
    return nanos;
  }

  /** Checks that {@code end} is not before {@code start} (both already checked). */
  static void ordered(String what, long start, long end) throws OtlpDecodeException {
    if (start != 0 && end < start) {
      throw new OtlpDecodeException(
          OtlpDecodeException.END_BEFORE_START,
          what + " ends " + (start - end) + " ns before it starts");
    }
  }
}
