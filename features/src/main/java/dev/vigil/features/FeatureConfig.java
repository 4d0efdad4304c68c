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
 * @param maxLaneSkew how far a lane (a Kafka partition, a file) may fall behind the newest lane and
 *     still hold the watermark back; a lane further behind is treated as idle, and its spans that
 *     then arrive after their window closed are counted late
 */
public record FeatureConfig(
    Duration window,
    Duration outOfOrderness,
    Duration maxTraceDuration,
    int maxPendingTraces,
    Duration maxLaneSkew) {

  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MAX_TRACE_DURATION = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_PENDING_TRACES = 200_000;
  public static final Duration DEFAULT_MAX_LANE_SKEW = Duration.ofMinutes(10);

  public FeatureConfig {
    requirePositive(window, "window");
    if (outOfOrderness == null || outOfOrderness.isNegative()) {
      throw new IllegalArgumentException("outOfOrderness must be zero or positive");
    }
    requirePositive(maxTraceDuration, "maxTraceDuration");
    if (maxPendingTraces <= 0) {
      throw new IllegalArgumentException("maxPendingTraces must be greater than 0");
    }
    if (maxLaneSkew == null || maxLaneSkew.isNegative()) {
      throw new IllegalArgumentException("maxLaneSkew must be zero or positive");
    }
  }

  /** A configuration with the default lane skew. */
  public FeatureConfig(
      Duration window, Duration outOfOrderness, Duration maxTraceDuration, int maxPendingTraces) {
    this(window, outOfOrderness, maxTraceDuration, maxPendingTraces, DEFAULT_MAX_LANE_SKEW);
  }

  public static FeatureConfig defaults() {
    return new FeatureConfig(
        DEFAULT_WINDOW,
        DEFAULT_OUT_OF_ORDERNESS,
        DEFAULT_MAX_TRACE_DURATION,
        DEFAULT_MAX_PENDING_TRACES);
  }

  public FeatureConfig withWindow(Duration window) {
    return new FeatureConfig(
        window, outOfOrderness, maxTraceDuration, maxPendingTraces, maxLaneSkew);
  }

  public FeatureConfig withOutOfOrderness(Duration outOfOrderness) {
    return new FeatureConfig(
        window, outOfOrderness, maxTraceDuration, maxPendingTraces, maxLaneSkew);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }
}
