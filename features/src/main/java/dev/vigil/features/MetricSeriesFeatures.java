package dev.vigil.features;

import dev.vigil.telemetry.Exemplar;
import dev.vigil.telemetry.MetricPoint;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric series' features over one window. A series is a service, a metric name and the point's
 * attributes (other resource attributes are not part of it).
 *
 * <p>The features present depend on the kind and on the points of the window; a feature that cannot
 * be computed is absent, never 0 or NaN:
 *
 * <ul>
 *   <li>{@link #LAST}, {@link #MEAN}, {@link #MAX}: gauges and cumulative up-down counters (a
 *       level), over the points of the window.
 *   <li>{@link #RATE} (per second, {@code unit/s}) and {@link #INCREASE} (in {@code unit}):
 *       counters, and delta up-down counters (net change). The increase is the sum of the
 *       increments of the window's points, each since the previous point of the series or since its
 *       own start; the rate divides it by the total length of those intervals (so that a point
 *       covering a 60 s export interval gives the 60 s average, not six times it), or by the window
 *       when a delta point has no start time.
 *   <li>{@link #RATE} of observations ({@code 1/s}), {@link #MEAN}, {@link #P50}, {@link #P95},
 *       {@link #P99} (in {@code unit}): histograms, from the observations of the window (the
 *       difference to the previous point for cumulative ones); quantiles only when there were
 *       observations. Summaries give the rate and mean the same way, and the quantiles of their
 *       latest point as reported.
 * </ul>
 *
 * @param attributes the point attributes as text, sorted by key
 * @param unit the metric's unit as reported (UCUM, such as {@code s}, {@code ms}, {@code By},
 *     {@code {request}}), never converted
 * @param points points of the series in the window
 * @param values feature name to value, sorted by name, all finite
 * @param exemplars example measurements with a trace id: for histograms the highest values first,
 *     otherwise the latest first; at most {@value #MAX_EXEMPLARS}
 */
public record MetricSeriesFeatures(
    String service,
    String name,
    Map<String, String> attributes,
    String unit,
    Kind kind,
    long points,
    Map<String, Double> values,
    List<Exemplar> exemplars) {

  public static final String LAST = "last";
  public static final String MEAN = "mean";
  public static final String MAX = "max";
  public static final String RATE = "rate";
  public static final String INCREASE = "increase";
  public static final String P50 = "p50";
  public static final String P95 = "p95";
  public static final String P99 = "p99";
  public static final int MAX_EXEMPLARS = 5;

  /** What a series measures, which decides its features. */
  public enum Kind {
    GAUGE,
    /** A monotonic sum. */
    COUNTER,
    /** A non-monotonic sum: a level when cumulative, a net change when delta. */
    UP_DOWN_COUNTER,
    HISTOGRAM,
    EXPONENTIAL_HISTOGRAM,
    SUMMARY;

    public static Kind of(MetricPoint p) {
      if (p instanceof MetricPoint.Gauge) {
        return GAUGE;
      } else if (p instanceof MetricPoint.Sum s) {
        return s.monotonic() ? COUNTER : UP_DOWN_COUNTER;
      } else if (p instanceof MetricPoint.Histogram) {
        return HISTOGRAM;
      } else if (p instanceof MetricPoint.ExponentialHistogram) {
        return EXPONENTIAL_HISTOGRAM;
      }
      return SUMMARY;
    }
  }

  public MetricSeriesFeatures {
    attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    values = Collections.unmodifiableMap(new TreeMap<>(values));
    exemplars = List.copyOf(exemplars);
  }

  /**
   * The series' name in feature names: {@code name{key=value,...}} with the attributes sorted by
   * key, or just the name without attributes.
   */
  public String seriesName() {
    return seriesName(name, attributes);
  }

  static String seriesName(String name, Map<String, String> sortedAttributes) {
    if (sortedAttributes.isEmpty()) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append('{');
    sortedAttributes.forEach((k, v) -> b.append(k).append('=').append(v).append(','));
    b.setCharAt(b.length() - 1, '}');
    return b.toString();
  }

  /** The unit of a feature of this series. */
  public String unitOf(String feature) {
    if (!RATE.equals(feature)) {
      return unit;
    }
    boolean perObservation =
        kind == Kind.HISTOGRAM || kind == Kind.EXPONENTIAL_HISTOGRAM || kind == Kind.SUMMARY;
    return perObservation || unit.isEmpty() ? "1/s" : unit + "/s";
  }

  /** The trace ids of the exemplars, in order, without repeats. */
  public List<String> exemplarTraceIds() {
    return exemplars.stream().map(Exemplar::traceId).distinct().toList();
  }
}
