package dev.vigil.features;

import java.time.Duration;

/**
 * How metric points and log records are windowed into per-service features by a {@link
 * SignalFeatureAggregator}.
 *
 * @param window the tumbling window size; the same as the span windows' ({@link
 *     FeatureConfig#window()}) so that both close together
 * @param maxSeries metric series whose previous point is remembered (for rates of cumulative
 *     counters), and series plus services with logs held per window; beyond it the least recently
 *     updated series is forgotten, and a new series or service in a full window is refused, both
 *     counted
 * @param maxOpenWindows windows held open at once (points from the future wait in them); a point or
 *     log for another window beyond it is refused and counted. Memory is at most about {@code
 *     maxOpenWindows * maxSeries} window cells plus {@code maxSeries} remembered points
 * @param maxFirstInterval the first point of a cumulative series yields a rate (its value over the
 *     time since its start) only when its start is at most this long before it: a process that just
 *     started. For a process that started long before (the usual case when Vigil itself restarts),
 *     its lifetime average rate would be reported as the current one, so the point only becomes the
 *     base for the next
 */
public record SignalConfig(
    Duration window, int maxSeries, int maxOpenWindows, Duration maxFirstInterval) {

  public static final Duration DEFAULT_WINDOW = FeatureConfig.DEFAULT_WINDOW;
  public static final int DEFAULT_MAX_SERIES = 100_000;

  /** An hour of future at the default window. */
  public static final int DEFAULT_MAX_OPEN_WINDOWS = 360;

  /** Twice the OpenTelemetry SDK's default export interval (60 s). */
  public static final Duration DEFAULT_MAX_FIRST_INTERVAL = Duration.ofMinutes(2);

  public SignalConfig {
    if (window == null || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be a positive duration, got " + window);
    }
    if (maxSeries <= 0) {
      throw new IllegalArgumentException("maxSeries must be greater than 0, got " + maxSeries);
    }
    if (maxOpenWindows <= 0) {
      throw new IllegalArgumentException(
          "maxOpenWindows must be greater than 0, got " + maxOpenWindows);
    }
    if (maxFirstInterval == null || maxFirstInterval.isNegative()) {
      throw new IllegalArgumentException(
          "maxFirstInterval must be zero or positive, got " + maxFirstInterval);
    }
  }

  public static SignalConfig defaults() {
    return new SignalConfig(
        DEFAULT_WINDOW, DEFAULT_MAX_SERIES, DEFAULT_MAX_OPEN_WINDOWS, DEFAULT_MAX_FIRST_INTERVAL);
  }

  /** The defaults with the span windows' size. */
  public static SignalConfig of(FeatureConfig spans) {
    return defaults().withWindow(spans.window());
  }

  public SignalConfig withWindow(Duration window) {
    return new SignalConfig(window, maxSeries, maxOpenWindows, maxFirstInterval);
  }

  public SignalConfig withMaxSeries(int maxSeries) {
    return new SignalConfig(window, maxSeries, maxOpenWindows, maxFirstInterval);
  }

  public SignalConfig withMaxOpenWindows(int maxOpenWindows) {
    return new SignalConfig(window, maxSeries, maxOpenWindows, maxFirstInterval);
  }

  public SignalConfig withMaxFirstInterval(Duration maxFirstInterval) {
    return new SignalConfig(window, maxSeries, maxOpenWindows, maxFirstInterval);
  }
}
