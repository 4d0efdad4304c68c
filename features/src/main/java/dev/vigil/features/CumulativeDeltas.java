package dev.vigil.features;

import dev.vigil.telemetry.MetricPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the points of a cumulative series into increments: each point minus the series' previous
 * point, as a delta point of the same type covering {@code (previous time, time]}.
 *
 * <p>A series restarted (a <em>counter reset</em>) when its start time changed, or when a count
 * went down, or when its histogram bounds changed. The point after a reset yields its whole value
 * as the increment, over {@code (start, time]}, when its start time is set and not before the
 * previous point's time (the process restarted after it); otherwise it yields nothing and only
 * becomes the base for the next point. So a rate is never negative and never spans a restart it
 * cannot measure. The first point of a series yields its value since its start only when that start
 * is recent ({@link SignalConfig#maxFirstInterval()}).
 */
final class CumulativeDeltas {
  private CumulativeDeltas() {}

  /**
   * The increment of {@code point} over the series' previous point.
   *
   * @param delta the increment as a delta point, or null when the point is only a base
   * @param reset the series restarted since its previous point
   */
  record Increment(MetricPoint delta, boolean reset) {}

  /**
   * The increment of a cumulative point, given the series' previous point of the same kind (null
   * for the first), which must be older.
   */
  static Increment of(MetricPoint previous, MetricPoint point, long maxFirstIntervalNanos) {
    long start = point.startEpochNanos();
    long time = point.timeEpochNanos();
    boolean started = start > 0 && time > start;
    if (previous == null) {
      boolean fresh = started && time - start <= maxFirstIntervalNanos;
      return new Increment(fresh ? point : null, false);
    }
    if (start == previous.startEpochNanos()) {
      MetricPoint difference = difference(previous, point);
      if (difference != null) {
        return new Increment(difference, false);
      }
    }
    boolean restartedAfterPrevious = started && start >= previous.timeEpochNanos();
    return new Increment(restartedAfterPrevious ? point : null, true);
  }

  /** Point minus previous as a delta point; null when a count went down or the buckets differ. */
  private static MetricPoint difference(MetricPoint previous, MetricPoint point) {
    long from = previous.timeEpochNanos();
    if (point instanceof MetricPoint.Sum s && previous instanceof MetricPoint.Sum p) {
      double inc = s.value() - p.value();
      return inc < 0
          ? null
          : new MetricPoint.Sum(
              s.resource(),
              s.name(),
              s.unit(),
              s.attributes(),
              from,
              s.timeEpochNanos(),
              inc,
              MetricPoint.Temporality.DELTA,
              s.monotonic(),
              List.of());
    } else if (point instanceof MetricPoint.Histogram h
        && previous instanceof MetricPoint.Histogram p) {
      return histogram(p, h);
    } else if (point instanceof MetricPoint.ExponentialHistogram h
        && previous instanceof MetricPoint.ExponentialHistogram p) {
      ExponentialBuckets b = ExponentialBuckets.of(h).minus(ExponentialBuckets.of(p));
      long count = h.count() - p.count();
      return b == null || count < 0 ? null : b.toPoint(h, from, count, h.sum() - p.sum());
    } else if (point instanceof MetricPoint.Summary s
        && previous instanceof MetricPoint.Summary p) {
      long count = s.count() - p.count();
      return count < 0
          ? null
          : new MetricPoint.Summary(
              s.resource(),
              s.name(),
              s.unit(),
              s.attributes(),
              from,
              s.timeEpochNanos(),
              count,
              s.sum() - p.sum(),
              s.quantiles());
    }
    return null;
  }

  private static MetricPoint histogram(MetricPoint.Histogram p, MetricPoint.Histogram h) {
    long count = h.count() - p.count();
    if (count < 0
        || !h.explicitBounds().equals(p.explicitBounds())
        || h.bucketCounts().size() != p.bucketCounts().size()) {
      return null;
    }
    List<Long> buckets = new ArrayList<>(h.bucketCounts().size());
    for (int i = 0; i < h.bucketCounts().size(); i++) {
      long c = h.bucketCounts().get(i) - p.bucketCounts().get(i);
      if (c < 0) {
        return null;
      }
      buckets.add(c);
    }
    return new MetricPoint.Histogram(
        h.resource(),
        h.name(),
        h.unit(),
        h.attributes(),
        p.timeEpochNanos(),
        h.timeEpochNanos(),
        count,
        h.sum() - p.sum(),
        h.explicitBounds(),
        buckets,
        MetricPoint.Temporality.DELTA,
        List.of());
  }
}
