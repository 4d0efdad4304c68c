package dev.vigil.features;

import dev.vigil.features.MetricSeriesFeatures.Kind;
import dev.vigil.telemetry.Exemplar;
import dev.vigil.telemetry.MetricPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable features of one metric series over one window. Levels (gauges, cumulative up-down
 * counters) and summary quantiles come from the points as reported ({@link #observe}); counts and
 * sums from their increments ({@link #addIncrement}), delta points as they are and cumulative ones
 * after {@link CumulativeDeltas}.
 */
final class SeriesAccumulator {
  private static final double NANOS_PER_SECOND = 1e9;
  private static final Comparator<Exemplar> HIGHEST_FIRST =
      Comparator.comparingDouble(Exemplar::value).reversed();
  private static final Comparator<Exemplar> LATEST_FIRST =
      Comparator.comparingLong(Exemplar::timeEpochNanos).reversed();

  private final String service;
  private final String name;
  private final Map<String, String> attributes;
  private final String unit;
  private final Kind kind;
  private long points;

  private int levels;
  private double last = Double.NaN;
  private long lastTime = Long.MIN_VALUE;
  private double levelSum;
  private double max = Double.NEGATIVE_INFINITY;

  private int increments;
  private double increase;
  private long count;
  private double sum;
  private long intervalNanos;
  private boolean intervalUnknown;

  private List<Double> bounds;
  private long[] buckets;
  private ExponentialBuckets exponential;

  private Map<Double, Double> quantiles = Map.of();
  private long quantilesTime = Long.MIN_VALUE;
  private final List<Exemplar> exemplars = new ArrayList<>();

  SeriesAccumulator(String service, String name, Map<String, String> attributes, MetricPoint p) {
    this.service = service;
    this.name = name;
    this.attributes = attributes;
    this.unit = p.unit();
    this.kind = Kind.of(p);
  }

  Kind kind() {
    return kind;
  }

  long points() {
    return points;
  }

  /** Takes what a point says as reported: a level, summary quantiles, exemplars. */
  void observe(MetricPoint p) {
    points++;
    long t = p.timeEpochNanos();
    if (p instanceof MetricPoint.Gauge g) {
      level(g.value(), t);
    } else if (p instanceof MetricPoint.Sum s && !s.monotonic() && !isDelta(s.temporality())) {
      level(s.value(), t);
    } else if (p instanceof MetricPoint.Summary s && t >= quantilesTime) {
      quantiles = s.quantiles();
      quantilesTime = t;
    }
    for (Exemplar e : p.exemplars()) {
      if (!e.traceId().isEmpty()) {
        exemplars.add(e);
      }
    }
    if (exemplars.size() > 4 * MetricSeriesFeatures.MAX_EXEMPLARS) {
      List<Exemplar> keep = bestExemplars();
      exemplars.clear();
      exemplars.addAll(keep);
    }
  }

  static boolean isDelta(MetricPoint.Temporality t) {
    return t == MetricPoint.Temporality.DELTA;
  }

  private void level(double v, long t) {
    levels++;
    levelSum += v;
    max = Math.max(max, v);
    if (t >= lastTime) {
      last = v;
      lastTime = t;
    }
  }

  /** Adds an increment: a delta point of the series' type. */
  void addIncrement(MetricPoint d) {
    increments++;
    long start = d.startEpochNanos();
    if (start > 0 && d.timeEpochNanos() > start) {
      intervalNanos += d.timeEpochNanos() - start;
    } else {
      intervalUnknown = true;
    }
    if (d instanceof MetricPoint.Sum s) {
      increase += s.value();
    } else if (d instanceof MetricPoint.Histogram h) {
      observations(h.count(), h.sum());
      if (!h.bucketCounts().isEmpty()) {
        if (!h.explicitBounds().equals(bounds)) {
          // Bounds changed within the window: quantiles from the points with the newest bounds.
          bounds = h.explicitBounds();
          buckets = new long[h.bucketCounts().size()];
        }
        for (int i = 0; i < buckets.length; i++) {
          buckets[i] += h.bucketCounts().get(i);
        }
      }
    } else if (d instanceof MetricPoint.ExponentialHistogram h) {
      observations(h.count(), h.sum());
      if (exponential == null) {
        exponential = ExponentialBuckets.of(h);
      } else {
        exponential.add(ExponentialBuckets.of(h));
      }
    } else if (d instanceof MetricPoint.Summary s) {
      observations(s.count(), s.sum());
    }
  }

  private void observations(long n, double total) {
    count += n;
    sum += total;
  }

  MetricSeriesFeatures close(long windowNanos) {
    Map<String, Double> values = new HashMap<>();
    if (levels > 0) {
      values.put(MetricSeriesFeatures.LAST, last);
      values.put(MetricSeriesFeatures.MEAN, levelSum / levels);
      values.put(MetricSeriesFeatures.MAX, max);
    }
    double seconds =
        (intervalUnknown || intervalNanos == 0 ? windowNanos : intervalNanos) / NANOS_PER_SECOND;
    boolean counter = kind == Kind.COUNTER || kind == Kind.UP_DOWN_COUNTER;
    if (increments > 0 && counter) {
      values.put(MetricSeriesFeatures.RATE, increase / seconds);
      values.put(MetricSeriesFeatures.INCREASE, increase);
    } else if (increments > 0) {
      values.put(MetricSeriesFeatures.RATE, count / seconds);
      if (count > 0) {
        values.put(MetricSeriesFeatures.MEAN, sum / count);
        quantile(values, MetricSeriesFeatures.P50, 0.5);
        quantile(values, MetricSeriesFeatures.P95, 0.95);
        quantile(values, MetricSeriesFeatures.P99, 0.99);
      }
    }
    if (kind == Kind.SUMMARY) {
      summaryQuantile(values, MetricSeriesFeatures.P50, 0.5);
      summaryQuantile(values, MetricSeriesFeatures.P95, 0.95);
      summaryQuantile(values, MetricSeriesFeatures.P99, 0.99);
    }
    values.values().removeIf(v -> !Double.isFinite(v));
    return new MetricSeriesFeatures(
        service, name, attributes, unit, kind, points, values, bestExemplars());
  }

  private void quantile(Map<String, Double> values, String feature, double q) {
    if (buckets != null) {
      values.put(feature, ExplicitBuckets.quantile(q, bounds, buckets));
    } else if (exponential != null) {
      values.put(feature, exponential.quantile(q));
    }
  }

  private void summaryQuantile(Map<String, Double> values, String feature, double q) {
    Double v = quantiles.get(q);
    if (v != null) {
      values.put(feature, v);
    }
  }

  /** The best few exemplars, one per trace and span. */
  private List<Exemplar> bestExemplars() {
    boolean histogram = kind == Kind.HISTOGRAM || kind == Kind.EXPONENTIAL_HISTOGRAM;
    List<Exemplar> sorted = new ArrayList<>(exemplars);
    sorted.sort(histogram ? HIGHEST_FIRST : LATEST_FIRST);
    Map<String, Exemplar> distinct = new LinkedHashMap<>();
    for (Exemplar e : sorted) {
      if (distinct.size() == MetricSeriesFeatures.MAX_EXEMPLARS) {
        break;
      }
      distinct.putIfAbsent(e.traceId() + '/' + e.spanId(), e);
    }
    return List.copyOf(distinct.values());
  }
}
