package dev.vigil.features;

import java.time.Duration;

/**
 * How spans are windowed and assembled into traces.
 *
 * @param window the tumbling window size
 * @param outOfOrderness how far behind the newest event time a span may still arrive; the watermark
 *     is the newest span end minus this
 * @param maxTraceDuration how long after a window ends a span of a trace ending in it may still
 *     change it; a window closes when the watermark passes its end plus this
 * @param maxPendingTraces traces held for assembly at most; beyond it the oldest are completed
 *     early
 */
public record FeatureConfig(
    Duration window, Duration outOfOrderness, Duration maxTraceDuration, int maxPendingTraces) {

  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MAX_TRACE_DURATION = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_PENDING_TRACES = 200_000;

  public FeatureConfig {
    requirePositive(window, "window");
    if (outOfOrderness == null || outOfOrderness.isNegative()) {
      throw new IllegalArgumentException("outOfOrderness must be zero or positive");
    }
    requirePositive(maxTraceDuration, "maxTraceDuration");
    if (maxPendingTraces <= 0) {
      throw new IllegalArgumentException("maxPendingTraces must be greater than 0");
    }
  }

  public static FeatureConfig defaults() {
    return new FeatureConfig(
        DEFAULT_WINDOW,
        DEFAULT_OUT_OF_ORDERNESS,
        DEFAULT_MAX_TRACE_DURATION,
        DEFAULT_MAX_PENDING_TRACES);
  }

  public FeatureConfig withWindow(Duration window) {
    return new FeatureConfig(window, outOfOrderness, maxTraceDuration, maxPendingTraces);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
