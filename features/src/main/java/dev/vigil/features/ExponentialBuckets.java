package dev.vigil.features;

import dev.vigil.telemetry.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The buckets of an OTLP base-2 exponential histogram, mutable, for merging, differencing and
 * quantiles. At scale {@code s} the base is {@code 2^(2^-s)}; positive bucket index {@code i}
 * covers {@code (base^i, base^(i+1)]}, negative bucket index {@code i} the mirror image, and the
 * zero bucket holds the values near zero.
 *
 * <p>Two histograms of different scales are combined at the smaller scale, after downscaling the
 * other: index {@code i} at scale {@code s} falls in index {@code i >> (s - t)} at scale {@code t}
 * (OpenTelemetry metrics data model, "exponential histogram: merging"). Quantiles find the bucket
 * of the observation of rank {@code q * count} (ordered from the most negative) and interpolate
 * log-linearly inside it, {@code base^(i + fraction)}: the estimate lies in the same bucket as the
 * true value, so its relative error is below {@code base - 1} (about 0.07% at scale 10, 4.4% at
 * scale 4). Operations are O(buckets log buckets).
 */
final class ExponentialBuckets {
  private int scale;
  private long zeroCount;
  private NavigableMap<Integer, Long> positive = new TreeMap<>();
  private NavigableMap<Integer, Long> negative = new TreeMap<>();

  private ExponentialBuckets(int scale) {
    this.scale = scale;
  }

  static ExponentialBuckets of(MetricPoint.ExponentialHistogram p) {
    ExponentialBuckets b = new ExponentialBuckets(p.scale());
    b.zeroCount = p.zeroCount();
    put(b.positive, p.positiveOffset(), p.positiveCounts());
    put(b.negative, p.negativeOffset(), p.negativeCounts());
    return b;
  }

  private static void put(Map<Integer, Long> into, int offset, List<Long> counts) {
    for (int i = 0; i < counts.size(); i++) {
      long c = counts.get(i);
      if (c != 0) {
        into.merge(offset + i, c, Long::sum);
      }
    }
  }

  int scale() {
    return scale;
  }

  long total() {
    long n = zeroCount;
    for (long c : positive.values()) {
      n += c;
    }
    for (long c : negative.values()) {
      n += c;
    }
    return n;
  }

  /** Lowers the scale to {@code target} (no change when it is not lower). */
  void downscaleTo(int target) {
    if (target >= scale) {
      return;
    }
    int by = scale - target;
    positive = shift(positive, by);
    negative = shift(negative, by);
    scale = target;
  }

  private static NavigableMap<Integer, Long> shift(Map<Integer, Long> in, int by) {
    NavigableMap<Integer, Long> out = new TreeMap<>();
    int shift = Math.min(by, 31);
    in.forEach((i, c) -> out.merge(i >> shift, c, Long::sum));
    return out;
  }

  /** Adds another histogram's counts (which is not changed), at the smaller of both scales. */
  void add(ExponentialBuckets other) {
    downscaleTo(other.scale);
    ExponentialBuckets o = other.scale > scale ? other.copyAt(scale) : other;
    zeroCount += o.zeroCount;
    o.positive.forEach((i, c) -> positive.merge(i, c, Long::sum));
    o.negative.forEach((i, c) -> negative.merge(i, c, Long::sum));
  }

  /**
   * The counts of this cumulative histogram minus those of an earlier one of the same series, at
   * the smaller of both scales; null if any count went down (the series restarted).
   */
  ExponentialBuckets minus(ExponentialBuckets earlier) {
    int s = Math.min(scale, earlier.scale);
    ExponentialBuckets out = copyAt(s);
    ExponentialBuckets e = earlier.copyAt(s);
    out.zeroCount -= e.zeroCount;
    if (out.zeroCount < 0 || !subtract(out.positive, e.positive)) {
      return null;
    }
    return subtract(out.negative, e.negative) ? out : null;
  }

  private static boolean subtract(Map<Integer, Long> from, Map<Integer, Long> earlier) {
    for (Map.Entry<Integer, Long> e : earlier.entrySet()) {
      long left = from.getOrDefault(e.getKey(), 0L) - e.getValue();
      if (left < 0) {
        return false;
      }
      from.put(e.getKey(), left);
    }
    return true;
  }

  private ExponentialBuckets copyAt(int target) {
    ExponentialBuckets c = new ExponentialBuckets(scale);
    c.zeroCount = zeroCount;
    c.positive = new TreeMap<>(positive);
    c.negative = new TreeMap<>(negative);
    c.downscaleTo(target);
    return c;
  }

  /** As a point with the given fields and these buckets, for a difference of two points. */
  MetricPoint.ExponentialHistogram toPoint(
      MetricPoint.ExponentialHistogram like, long start, long count, double sum) {
    return new MetricPoint.ExponentialHistogram(
        like.resource(),
        like.name(),
        like.unit(),
        like.attributes(),
        start,
        like.timeEpochNanos(),
        count,
        sum,
        scale,
        zeroCount,
        positive.isEmpty() ? 0 : positive.firstKey(),
        dense(positive),
        negative.isEmpty() ? 0 : negative.firstKey(),
        dense(negative),
        MetricPoint.Temporality.DELTA,
        List.of());
  }

  private static List<Long> dense(NavigableMap<Integer, Long> sparse) {
    if (sparse.isEmpty()) {
      return List.of();
    }
    int first = sparse.firstKey();
    List<Long> out = new ArrayList<>(sparse.lastKey() - first + 1);
    for (int i = first; i <= sparse.lastKey(); i++) {
      out.add(sparse.getOrDefault(i, 0L));
    }
    return out;
  }

  /** The q-quantile, or NaN when there are no observations. */
  double quantile(double q) {
    long total = total();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double seen = 0;
    for (Map.Entry<Integer, Long> e : negative.descendingMap().entrySet()) {
      long c = e.getValue();
      if (c > 0 && seen + c >= rank) {
        return -power(e.getKey() + 1 - (rank - seen) / c);
      }
      seen += c;
    }
    if (zeroCount > 0 && seen + zeroCount >= rank) {
      return 0;
    }
    seen += zeroCount;
    for (Map.Entry<Integer, Long> e : positive.entrySet()) {
      long c = e.getValue();
      if (c > 0 && seen + c >= rank) {
        return power(e.getKey() + (rank - seen) / c);
      }
      seen += c;
    }
    return positive.isEmpty() ? 0 : power(positive.lastKey() + 1);
  }

  /** base^index = 2^(index * 2^-scale). */
  private double power(double index) {
    return Math.pow(2, Math.scalb(index, -scale));
  }
}
