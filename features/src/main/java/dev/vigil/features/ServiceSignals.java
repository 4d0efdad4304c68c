package dev.vigil.features;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One service's metric and log features over one window.
 *
 * @param metrics features per metric series, by {@link MetricSeriesFeatures#seriesName()}, sorted
 * @param logs log features, {@link LogFeatures#none} when the service sent no logs in the window
 */
public record ServiceSignals(
    String service, Map<String, MetricSeriesFeatures> metrics, LogFeatures logs) {

  public ServiceSignals {
    metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    Objects.requireNonNull(logs, "logs");
  }

  /**
   * Every scalar feature by a name that stays the same from window to window, for univariate
   * detectors: {@code metric:<series name>:<feature>} (for example {@code
   * metric:http.server.request.duration{http.route=/cart}:p95}; see {@link MetricSeriesFeatures}),
   * then the log features ({@code log:error_rate}, see {@link LogFeatures#values()}). A name is
   * present only in windows where its value could be computed. The number of names is bounded by
   * the series of the service (at most {@link SignalConfig#maxSeries()}) times five, plus eleven.
   */
  public Map<String, Double> values() {
    Map<String, Double> out = new TreeMap<>();
    metrics.forEach((series, f) -> f.values().forEach((k, v) -> out.put(metricName(series, k), v)));
    out.putAll(logs.values());
    return Collections.unmodifiableMap(out);
  }

  /** The unit of each feature of {@link #values()}, by the same names. */
  public Map<String, String> units() {
    Map<String, String> out = new TreeMap<>();
    metrics.forEach(
        (series, f) ->
            f.values().keySet().forEach(k -> out.put(metricName(series, k), f.unitOf(k))));
    logs.values().keySet().forEach(k -> out.put(k, LogFeatures.unitOf(k)));
    return Collections.unmodifiableMap(out);
  }

  /** The name of a metric feature in {@link #values()}. */
  public static String metricName(String series, String feature) {
    return "metric:" + series + ":" + feature;
  }
}
