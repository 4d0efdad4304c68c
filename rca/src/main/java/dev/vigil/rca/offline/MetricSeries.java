package dev.vigil.rca.offline;

import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.MetricPoint.Temporality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns metric points into one resource series per service, metric name and attribute set, assuming
 * nothing about the names. Each point becomes one value:
 *
 * <ul>
 *   <li>gauge: its value;
 *   <li>sum: a cumulative monotonic sum becomes its rate per second between consecutive points (a
 *       decrease is a reset); a delta sum becomes its rate over its interval; any other sum is its
 *       value;
 *   <li>histogram, exponential histogram and summary: the mean of the observations in the interval
 *       (difference of sums over difference of counts when cumulative).
 * </ul>
 *
 * Points of several instances of one service (pods) are merged, averaging values at the same time.
 */
final class MetricSeries {
  private MetricSeries() {}

  /**
   * @param traced services whose own time the traces show: their request-latency metrics become
   *     {@link SeriesKind#LATENCY_METRIC}, a symptom, not their own ({@link SeriesKind#ofMetric})
   */
  static List<Series> of(List<MetricPoint> points, java.util.Set<String> traced) {
    Map<List<String>, List<MetricPoint>> byInstance = new HashMap<>();
    for (MetricPoint p : points) {
      byInstance
          .computeIfAbsent(
              List.of(p.service(), component(p), p.unit(), instance(p)), k -> new ArrayList<>())
          .add(p);
    }
    Map<SeriesKey, TreeMap<Long, SeriesExtractor.MeanAccumulator>> merged = new HashMap<>();
    byInstance.forEach(
        (k, list) -> {
          list.sort(Comparator.comparingLong(MetricPoint::timeEpochNanos));
          SeriesKind kind = SeriesKind.ofMetric(k.get(1), traced.contains(k.get(0)));
          SeriesKey key = new SeriesKey(k.get(0), kind, k.get(1), k.get(2));
          TreeMap<Long, SeriesExtractor.MeanAccumulator> target =
              merged.computeIfAbsent(key, x -> new TreeMap<>());
          MetricPoint previous = null;
          for (MetricPoint p : list) {
            double v = value(p, previous);
            previous = p;
            if (Double.isFinite(v)) {
              target
                  .computeIfAbsent(
                      p.timeEpochNanos() / 1_000_000L, t -> new SeriesExtractor.MeanAccumulator())
                  .add(v);
            }
          }
        });
    List<Series> out = new ArrayList<>();
    merged.forEach(
        (key, byTime) -> {
          if (byTime.isEmpty()) {
            return;
          }
          long[] t = new long[byTime.size()];
          double[] v = new double[byTime.size()];
          int i = 0;
          for (Map.Entry<Long, SeriesExtractor.MeanAccumulator> e : byTime.entrySet()) {
            t[i] = e.getKey();
            v[i++] = e.getValue().mean();
          }
          out.add(new Series(key, t, v));
        });
    return out;
  }

  private static String component(MetricPoint p) {
    if (p.attributes().isEmpty()) {
      return p.name();
    }
    StringBuilder sb = new StringBuilder(p.name()).append('{');
    new TreeMap<>(p.attributes()).forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
    sb.setCharAt(sb.length() - 1, '}');
    return sb.toString();
  }

  private static String instance(MetricPoint p) {
    for (String k : List.of("service.instance.id", "k8s.pod.name", "host.name")) {
      Object v = p.resource().attributes().get(k);
      if (v != null) {
        return v.toString();
      }
    }
    return "";
  }

  /** The value of a point, given the previous point of the same series (or null). */
  static double value(MetricPoint p, MetricPoint previous) {
    if (p instanceof MetricPoint.Gauge g) {
      return g.value();
    }
    if (p instanceof MetricPoint.Sum s) {
      return sumValue(s, previous instanceof MetricPoint.Sum ps ? ps : null);
    }
    if (p instanceof MetricPoint.Histogram h) {
      MetricPoint.Histogram ph = previous instanceof MetricPoint.Histogram x ? x : null;
      return mean(
          h.sum(),
          h.count(),
          h.temporality(),
          ph == null ? Double.NaN : ph.sum(),
          ph == null ? -1 : ph.count());
    }
    if (p instanceof MetricPoint.ExponentialHistogram h) {
      MetricPoint.ExponentialHistogram ph =
          previous instanceof MetricPoint.ExponentialHistogram x ? x : null;
      return mean(
          h.sum(),
          h.count(),
          h.temporality(),
          ph == null ? Double.NaN : ph.sum(),
          ph == null ? -1 : ph.count());
    }
    MetricPoint.Summary s = (MetricPoint.Summary) p;
    MetricPoint.Summary ps = previous instanceof MetricPoint.Summary x ? x : null;
    return mean(
        s.sum(),
        s.count(),
        Temporality.CUMULATIVE,
        ps == null ? Double.NaN : ps.sum(),
        ps == null ? -1 : ps.count());
  }

  private static double sumValue(MetricPoint.Sum s, MetricPoint.Sum previous) {
    if (!s.monotonic()) {
      return s.value();
    }
    if (s.temporality() == Temporality.DELTA) {
      double seconds = (s.timeEpochNanos() - s.startEpochNanos()) / 1e9;
      return seconds > 0 ? s.value() / seconds : s.value();
    }
    if (previous == null) {
      return Double.NaN;
    }
    double seconds = (s.timeEpochNanos() - previous.timeEpochNanos()) / 1e9;
    if (seconds <= 0) {
      return Double.NaN;
    }
    double delta = s.value() >= previous.value() ? s.value() - previous.value() : s.value();
    return delta / seconds;
  }

  private static double mean(
      double sum, long count, Temporality t, double previousSum, long previousCount) {
    if (t != Temporality.CUMULATIVE) {
      return count > 0 ? sum / count : Double.NaN;
    }
    if (previousCount < 0) {
      return Double.NaN;
    }
    if (count < previousCount) {
      return count > 0 ? sum / count : Double.NaN;
    }
    long n = count - previousCount;
    return n > 0 ? (sum - previousSum) / n : Double.NaN;
  }
}
