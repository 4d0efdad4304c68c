package dev.vigil.models;

import dev.vigil.features.LogFeatures;
import dev.vigil.features.MetricSeriesFeatures;
import dev.vigil.features.ServiceSignals;
import dev.vigil.models.univariate.UnivariateDetectors;
import dev.vigil.telemetry.Exemplar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Watches every metric and log feature of every service (see {@link ServiceSignals#values()}) with
 * one univariate detector per series, by default the service's default detector {@value
 * UnivariateDetectors#DEFAULT} (the one {@code ./vigil evaluate nab} scores), and turns its alarms
 * into {@link Anomaly}s, one per service and window.
 *
 * <p>A series alarms when the detector's score reaches {@link #DEFAULT_ALARM_SCORE} (the threshold
 * NAB's scorer picks for it on the reward_low_FP_rate profile, since a page costs more than a late
 * detection here) and a robust baseline of the series' recent normal windows confirms the change:
 * robust z-score at least {@link MonitorConfig#zThreshold()} and a change of at least {@link
 * #MIN_RELATIVE_CHANGE} of the baseline. The score is taken before the detector's debounce ({@link
 * UnivariateDetector#lastRawScore()}): NAB rewards one detection per anomaly, which the debounce
 * gives it, while here the alert lifecycle does that, and a debounce would let a small novelty in
 * the noise hide a real change that follows it within twenty windows. Metric series are unitless to
 * Vigil (a drop in CPU may be the symptom of a failed process, a rise that of contention), so both
 * directions count.
 *
 * <p>The log error features (errors, error rate, error share) are judged as the span error rate is,
 * by the robust baseline alone: upwards only, and only with at least {@link
 * MonitorConfig#minErrors()} error records in the window. The detector's debounce, which NAB
 * rewards, would hide the errors of a fault for twenty windows after a first window with too few of
 * them to count. The other log features (counts by severity) are left to the queries: a chatty INFO
 * log is not an incident.
 *
 * <p>The anomaly's drivers name the series ({@code metric:<series>:<feature>}, {@code
 * log:error_rate}) with baseline, value and z-score; its exemplar traces are the series' exemplars
 * and the error logs' trace ids, so a metric anomaly points at example traces. Memory: one detector
 * and one baseline per series, at most {@link #MAX_SERIES}; series beyond are not watched and are
 * counted ({@link #unwatchedSeries()}). Not thread-safe.
 */
public final class SignalAnomalyMonitor {
  /** NAB reward_low_FP_rate threshold of the default detector (EVALUATION.md). */
  public static final double DEFAULT_ALARM_SCORE = 0.56;

  /** Smallest change, relative to the baseline, that counts. */
  public static final double MIN_RELATIVE_CHANGE = 0.3;

  /** Series watched at most. */
  public static final int MAX_SERIES = 50_000;

  private static final String ROBUST_BASELINE = "robust_baseline";

  private static final List<String> LOG_ERROR_FEATURES =
      List.of("log:errors", "log:error_rate", "log:error_share");

  private final MonitorConfig config;
  private final Supplier<UnivariateDetector> detectors;
  private final String detectorName;
  private final double alarmScore;
  private final Map<String, Map<String, Series>> series = new HashMap<>();
  private int watched;
  private long unwatched;

  private static final class Series {
    final UnivariateDetector detector;
    final RobustBaseline baseline;

    Series(UnivariateDetector detector, int capacity) {
      this.detector = detector;
      this.baseline = new RobustBaseline(capacity);
    }
  }

  /**
   * @param detectors fresh detectors, one per series
   * @param detectorName the detectors' name, reported in the anomalies
   * @param alarmScore the score at which a series alarms, in (0, 1]
   */
  public SignalAnomalyMonitor(
      MonitorConfig config,
      Supplier<UnivariateDetector> detectors,
      String detectorName,
      double alarmScore) {
    if (!(alarmScore > 0 && alarmScore <= 1)) {
      throw new IllegalArgumentException("alarmScore must be in (0, 1], got " + alarmScore);
    }
    this.config = config;
    this.detectors = detectors;
    this.detectorName = detectorName;
    this.alarmScore = alarmScore;
  }

  /** The default detector at its default alarm score. */
  public static SignalAnomalyMonitor withDefaultDetector(MonitorConfig config) {
    return new SignalAnomalyMonitor(
        config,
        UnivariateDetectors.factory(UnivariateDetectors.DEFAULT),
        UnivariateDetectors.DEFAULT,
        DEFAULT_ALARM_SCORE);
  }

  /**
   * Scores every feature of every service in the window, learns from it, and returns one anomaly
   * per service with alarming features, sorted by service.
   */
  public List<Anomaly> observe(
      Instant windowStart, Duration window, Map<String, ServiceSignals> signals) {
    List<Anomaly> out = new ArrayList<>();
    long epochMillis = windowStart.toEpochMilli();
    for (ServiceSignals s : signals.values()) {
      Map<String, String> units = s.units();
      List<FeatureDeviation> drivers = new ArrayList<>();
      Set<String> by = new LinkedHashSet<>();
      double grade = 0;
      for (Map.Entry<String, Double> e : s.values().entrySet()) {
        String name = e.getKey();
        boolean logError = LOG_ERROR_FEATURES.contains(name);
        if (name.startsWith("log:") && !logError) {
          continue;
        }
        Series state = series(s.service(), name, !logError);
        if (state == null) {
          continue;
        }
        double value = e.getValue();
        double score = logError ? Double.NaN : score(state.detector, epochMillis, value);
        RobustBaseline b = state.baseline;
        boolean flagged = false;
        if (b.size() >= config.minBaselineWindows() && (logError || score >= alarmScore)) {
          double median = b.median();
          double z = b.zScore(value, Math.max(1e-9, 0.05 * Math.abs(median)));
          boolean bigEnough = Math.abs(value - median) >= MIN_RELATIVE_CHANGE * Math.abs(median);
          boolean harmful = !logError || (z > 0 && s.logs().errors() >= config.minErrors());
          if (Math.abs(z) >= config.zThreshold() && bigEnough && harmful) {
            drivers.add(new FeatureDeviation(name, units.getOrDefault(name, ""), median, value, z));
            by.add(logError ? ROBUST_BASELINE : detectorName);
            grade = Math.max(grade, logError ? Math.min(1, z / (2 * config.strongZ())) : score);
            flagged = true;
          }
        }
        if (!flagged) {
          b.add(value);
        }
      }
      if (!drivers.isEmpty()) {
        drivers.sort(Comparator.comparingDouble((FeatureDeviation d) -> -Math.abs(d.zScore())));
        out.add(
            new Anomaly(
                s.service(),
                windowStart,
                Math.min(1, grade),
                List.copyOf(by),
                drivers,
                exemplars(s, drivers)));
      }
    }
    out.sort(Comparator.comparing(Anomaly::service));
    return out;
  }

  /** The detector's score before any benchmark debounce (see {@link #observe}). */
  private static double score(UnivariateDetector detector, long epochMillis, double value) {
    double score = detector.scoreAndLearn(epochMillis, value);
    double raw = detector.lastRawScore();
    return Double.isNaN(raw) ? score : raw;
  }

  /** Series not watched because {@link #MAX_SERIES} were already. */
  public long unwatchedSeries() {
    return unwatched;
  }

  /** Series watched. */
  public int watchedSeries() {
    return watched;
  }

  private Series series(String service, String name, boolean withDetector) {
    Map<String, Series> perService = series.computeIfAbsent(service, k -> new HashMap<>());
    Series s = perService.get(name);
    if (s == null) {
      if (watched >= MAX_SERIES) {
        unwatched++;
        return null;
      }
      s = new Series(withDetector ? detectors.get() : null, config.baselineWindows());
      perService.put(name, s);
      watched++;
    }
    return s;
  }

  /** Trace ids of the flagged series' exemplars, then of the error logs, at most five. */
  private static List<String> exemplars(ServiceSignals s, List<FeatureDeviation> drivers) {
    Set<String> ids = new LinkedHashSet<>();
    for (FeatureDeviation d : drivers) {
      String name = d.feature();
      if (name.startsWith("metric:")) {
        String seriesName = name.substring("metric:".length(), name.lastIndexOf(':'));
        MetricSeriesFeatures f = s.metrics().get(seriesName);
        if (f != null) {
          f.exemplars().stream().map(Exemplar::traceId).filter(t -> !t.isEmpty()).forEach(ids::add);
        }
      } else {
        LogFeatures logs = s.logs();
        ids.addAll(logs.errorTraceIds());
      }
    }
    return ids.stream().limit(5).toList();
  }
}
