package dev.vigil.telemetry;

import java.time.Instant;

/** Conversions between {@link Instant} and epoch nanoseconds, OTLP's unit of time. */
public final class EpochNanos {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private EpochNanos() {}

  /** Nanoseconds since the epoch; overflows outside about 1678-2262, as OTLP's fields do. */
  public static long of(Instant t) {
    return t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
  }

  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND));
  }
}
