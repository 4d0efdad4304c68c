package dev.vigil.models;

import dev.vigil.features.LogFeatures;
import dev.vigil.features.MetricSeriesFeatures;
import dev.vigil.features.ServiceSignals;
import dev.vigil.models.internal.RingState;
import dev.vigil.models.internal.StateCodec;
import dev.vigil.models.univariate.UnivariateDetectors;
import dev.vigil.telemetry.Exemplar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Watches every metric and log feature of every service (see {@link ServiceSignals#values()}) with
 * one univariate detector per series, by default the service's default detector {@value
 * UnivariateDetectors#DEFAULT} (the one {@code ./vigil evaluate nab} scores), and turns its alarms
 * into {@link Anomaly}s, one per service and window.
 *
 * <p>A metric feature is reported when a robust baseline of its recent normal windows says it
 * deviates (robust z-score at least {@link MonitorConfig#zThreshold()}, a change of at least {@link
 * #MIN_RELATIVE_CHANGE} of the baseline, and enough observations behind the value, by the rules the
 * span features follow) in {@value #PERSISTENCE} windows in a row, and the detector's score reached
 * {@link #DEFAULT_ALARM_SCORE} (the threshold NAB's scorer picks for it on the reward_low_FP_rate
 * profile) in one of them. A service sends dozens of series (a duration histogram per route and
 * status code, counters, gauges), so one-window blips in some series are the rule, not the
 * exception: in the demo, reporting them at once opened an incident every few minutes of fault-free
 * traffic. The score is taken before the detector's debounce ({@link
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
 * counted ({@link #unwatchedSeries()}).
 *
 * <p>What it learns about a service (each series' detector, baseline and streak) can be saved with
 * {@link #snapshot} and restored with {@link #restore} in another process of the same build,
 * detector and configuration: fed the same windows, the restored monitor reports exactly what the
 * saved one would have. The detector must support {@link UnivariateDetector#snapshot()}; the
 * built-in ones do. Not thread-safe.
 */
public final class SignalAnomalyMonitor {
  /** NAB reward_low_FP_rate threshold of the default detector (EVALUATION.md). */
  public static final double DEFAULT_ALARM_SCORE = 0.56;

  /** Smallest change, relative to the baseline, that counts. */
  public static final double MIN_RELATIVE_CHANGE = 0.3;

  /**
   * The smallest spread a metric feature's baseline is given, relative to the value judged: a
   * series that was exactly flat (an error counter at 0) would otherwise turn any change into a
   * z-score of billions. It caps the z-score of a change from a flat baseline at 100.
   */
  static final double METRIC_SPREAD_FLOOR = 0.01;

  /** Windows in a row a metric feature must deviate in to be reported. */
  public static final int PERSISTENCE = 2;

  /** Series watched at most. */
  public static final int MAX_SERIES = 50_000;

  private static final String ROBUST_BASELINE = "robust_baseline";

  /** The {@code format} of this monitor's snapshots. */
  public static final String STATE_FORMAT = "vigil.signal_monitor";

  private static final List<String> LOG_ERROR_FEATURES =
      List.of("log:errors", "log:error_rate", "log:error_share");

  /**
   * The series the monitor watches, by feature name: {@code metric:<series>:<feature>} for the
   * metric features, and the log error features. Its hash is recorded in every snapshot.
   */
  public static final FeatureSchema SERIES_SCHEMA =
      new FeatureSchema(
          Stream.concat(
                  Stream.of(
                      MetricSeriesFeatures.LAST,
                      MetricSeriesFeatures.MEAN,
                      MetricSeriesFeatures.MAX,
                      MetricSeriesFeatures.RATE,
                      MetricSeriesFeatures.INCREASE,
                      MetricSeriesFeatures.P50,
                      MetricSeriesFeatures.P95,
                      MetricSeriesFeatures.P99),
                  LOG_ERROR_FEATURES.stream())
              .toList(),
          "metric:<series>:<feature> and log error features, raw values");

  private final MonitorConfig config;
  private final Supplier<UnivariateDetector> detectors;
  private final String detectorName;
  private final double alarmScore;
  private final Map<String, Map<String, Series>> series = new HashMap<>();
  private int watched;
  private long unwatched;

  private static final class Series {
    final UnivariateDetector detector; // null for the log error features
    final RobustBaseline baseline;
    int streak;
    boolean alarmed;
    double peakScore;

    Series(UnivariateDetector detector, int capacity) {
      this.detector = detector;
      this.baseline = new RobustBaseline(capacity);
    }

    SeriesState state() {
      return new SeriesState(
          detector == null ? null : detector.snapshot(),
          baseline.state(),
          streak,
          alarmed,
          peakScore);
    }
  }

  /**
   * One series' learnt state.
   *
   * @param detector the detector's snapshot, null for the log error features
   * @param baseline the robust baseline
   * @param streak windows in a row the series deviated in
   * @param alarmed whether the detector alarmed in one of them
   * @param peakScore the detector's highest score in them
   */
  record SeriesState(
      byte[] detector, RingState baseline, int streak, boolean alarmed, double peakScore) {}

  /** One service's learnt state: its series by name. */
  record ServiceState(Map<String, SeriesState> series) {}

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
    double seconds = window.toNanos() / 1e9;
    for (ServiceSignals s : signals.values()) {
      Judgement j = new Judgement();
      for (MetricSeriesFeatures f : s.metrics().values()) {
        for (Map.Entry<String, Double> e : f.values().entrySet()) {
          String name = ServiceSignals.metricName(f.seriesName(), e.getKey());
          Series state = series(s.service(), name, true);
          if (state != null) {
            double score = score(state.detector, epochMillis, e.getValue());
            boolean enough = enoughEvidence(f, e.getKey(), e.getValue(), seconds);
            boolean upOnly = isLatency(f, e.getKey());
            judge(
                j,
                state,
                name,
                f.unitOf(e.getKey()),
                e.getValue(),
                METRIC_SPREAD_FLOOR * Math.abs(e.getValue()),
                score,
                enough,
                upOnly,
                false);
          }
        }
      }
      LogFeatures logs = s.logs();
      for (Map.Entry<String, Double> e : logs.values().entrySet()) {
        if (!LOG_ERROR_FEATURES.contains(e.getKey())) {
          continue;
        }
        Series state = series(s.service(), e.getKey(), false);
        if (state != null) {
          boolean enough = logs.errors() >= config.minErrors();
          judge(
              j,
              state,
              e.getKey(),
              LogFeatures.unitOf(e.getKey()),
              e.getValue(),
              logSpreadFloor(e.getKey(), seconds),
              1,
              enough,
              true,
              true);
        }
      }
      if (!j.drivers.isEmpty()) {
        j.drivers.sort(Comparator.comparingDouble((FeatureDeviation d) -> -Math.abs(d.zScore())));
        out.add(
            new Anomaly(
                s.service(),
                windowStart,
                Math.min(1, j.grade),
                List.copyOf(j.by),
                j.drivers,
                exemplars(s, j.drivers)));
      }
    }
    out.sort(Comparator.comparing(Anomaly::service));
    return out;
  }

  /** What one service's window came to. */
  private static final class Judgement {
    final List<FeatureDeviation> drivers = new ArrayList<>();
    final Set<String> by = new LinkedHashSet<>();
    double grade;
  }

  /**
   * Judges one feature of a window: it deviates when the baseline is warm, its robust z-score and
   * relative change pass the thresholds, the window holds enough evidence, and (for the log error
   * features) it went up. A metric feature is reported once it has deviated in {@value
   * #PERSISTENCE} windows in a row, the detector having alarmed in one of them; a log error feature
   * at once, as the span error rate is. Only windows that do not deviate are learned; a window that
   * deviates on too little evidence changes nothing.
   */
  private void judge(
      Judgement j,
      Series state,
      String name,
      String unit,
      double value,
      double spreadFloor,
      double score,
      boolean enoughEvidence,
      boolean upOnly,
      boolean logError) {
    RobustBaseline b = state.baseline;
    boolean deviates = false;
    double median = Double.NaN;
    double z = 0;
    if (b.size() >= config.minBaselineWindows()) {
      median = b.median();
      z = b.zScore(value, Math.max(Math.max(1e-9, spreadFloor), 0.05 * Math.abs(median)));
      boolean bigEnough = Math.abs(value - median) >= MIN_RELATIVE_CHANGE * Math.abs(median);
      deviates = Math.abs(z) >= config.zThreshold() && bigEnough && (!upOnly || z > 0);
    }
    if (deviates && !enoughEvidence) {
      // Too thin to count, and not normal either: neither reported nor learned (a fault in a
      // quiet service must not seep into its baseline through its low-traffic windows).
      return;
    }
    if (!deviates) {
      state.streak = 0;
      state.alarmed = false;
      state.peakScore = 0;
      b.add(value);
      return;
    }
    state.streak++;
    state.alarmed |= score >= alarmScore;
    state.peakScore = Math.max(state.peakScore, score);
    boolean report = logError || (state.alarmed && state.streak >= PERSISTENCE);
    if (report) {
      j.drivers.add(new FeatureDeviation(name, unit == null ? "" : unit, median, value, z));
      j.by.add(logError ? ROBUST_BASELINE : detectorName);
      j.grade =
          Math.max(j.grade, logError ? Math.min(1, z / (2 * config.strongZ())) : state.peakScore);
    }
  }

  /**
   * Whether a feature is a duration's level (a quantile or mean of a histogram or summary in a time
   * unit): only a rise of those is a symptom; requests getting faster is not an incident.
   */
  static boolean isLatency(MetricSeriesFeatures f, String feature) {
    boolean distribution =
        switch (f.kind()) {
          case HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY -> true;
          default -> false;
        };
    boolean level = !feature.equals(MetricSeriesFeatures.RATE);
    return distribution && level && TIME_UNITS.contains(f.unit());
  }

  private static final Set<String> TIME_UNITS = Set.of("ns", "us", "ms", "s", "min", "h", "d");

  /**
   * The smallest spread of a log error feature's baseline: one error record in the window, as a
   * count, a rate or (like the span error rate's floor) one percent of the records.
   */
  private static double logSpreadFloor(String feature, double windowSeconds) {
    return switch (feature) {
      case "log:errors" -> 1;
      case "log:error_rate" -> 1 / windowSeconds;
      default -> 0.01;
    };
  }

  /**
   * Whether a metric feature of a window rests on enough observations to count, by the same rules
   * as the span features: a histogram or summary feature needs {@link MonitorConfig#minRequests()}
   * observations, and a tail quantile {@link MonitorConfig#minTailRequests()} beyond it (a p99 of a
   * hundred requests is one request's latency); a counter needs an increase of at least {@link
   * MonitorConfig#minErrors()} (two errors where there were none is not an incident).
   */
  private boolean enoughEvidence(
      MetricSeriesFeatures f, String feature, double value, double windowSeconds) {
    return switch (f.kind()) {
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY -> {
        double n = f.values().getOrDefault(MetricSeriesFeatures.RATE, 0.0) * windowSeconds;
        double tail =
            switch (feature) {
              case MetricSeriesFeatures.P95 -> 0.05;
              case MetricSeriesFeatures.P99 -> 0.01;
              default -> 1;
            };
        yield n >= config.minRequests() && n * tail >= Math.min(n, config.minTailRequests());
      }
      case COUNTER ->
          f.values().getOrDefault(MetricSeriesFeatures.INCREASE, value * windowSeconds)
              >= config.minErrors();
      default -> true;
    };
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

  /** The services the monitor has learnt about, sorted. */
  public Set<String> services() {
    return Collections.unmodifiableSet(new TreeSet<>(series.keySet()));
  }

  /**
   * What the monitor has learnt about a service, to be read back by {@link #restore}: a {@value
   * #STATE_FORMAT} snapshot carrying its format version, the Vigil version, the hash of {@link
   * #SERIES_SCHEMA} and the configuration that shapes it.
   *
   * @throws IllegalArgumentException if the monitor knows nothing of the service
   * @throws UnsupportedOperationException if the detector cannot save its state
   */
  public byte[] snapshot(String service) {
    Map<String, Series> perService = series.get(service);
    if (perService == null) {
      throw new IllegalArgumentException(
          "no state for service '" + service + "'; services() lists those with one");
    }
    Map<String, SeriesState> states = new TreeMap<>();
    perService.forEach((name, s) -> states.put(name, s.state()));
    return StateEnvelope.seal(header(service), StateCodec.write(new ServiceState(states)));
  }

  /**
   * Replaces what the monitor knows of a service by a {@link #snapshot}, all or nothing.
   *
   * @throws IncompatibleModelException if the snapshot is corrupt, was written by another format
   *     version, series schema, detector or configuration (the message says which), or would take
   *     the monitor beyond {@link #MAX_SERIES}. The monitor then knows nothing of the service and
   *     learns it anew.
   */
  public void restore(String service, byte[] snapshot) {
    forget(service);
    byte[] bytes = StateEnvelope.open(snapshot, header(service));
    Map<String, Series> restored = new HashMap<>();
    try {
      ServiceState state = StateCodec.read(bytes, ServiceState.class, "the state");
      for (Map.Entry<String, SeriesState> e : state.series().entrySet()) {
        SeriesState s = e.getValue();
        boolean logError = LOG_ERROR_FEATURES.contains(e.getKey());
        if (logError != (s.detector() == null) || s.streak() < 0) {
          throw new IncompatibleModelException("series '" + e.getKey() + "' is inconsistent");
        }
        UnivariateDetector detector = null;
        if (!logError) {
          detector = detectors.get();
          detector.restore(s.detector());
        }
        Series series = new Series(detector, config.baselineWindows());
        series.baseline.restore(s.baseline());
        series.streak = s.streak();
        series.alarmed = s.alarmed();
        series.peakScore = s.peakScore();
        restored.put(e.getKey(), series);
      }
    } catch (RuntimeException e) {
      throw StateEnvelope.refused(STATE_FORMAT, service, e);
    }
    if (watched + restored.size() > MAX_SERIES) {
      throw StateEnvelope.refused(
          "the "
              + STATE_FORMAT
              + " state of service '"
              + service
              + "' has "
              + restored.size()
              + " series, more than the "
              + (MAX_SERIES - watched)
              + " the monitor may still watch");
    }
    series.put(service, restored);
    watched += restored.size();
  }

  /** Forgets what the monitor learnt about a service (say, when another instance now owns it). */
  public void forget(String service) {
    Map<String, Series> removed = series.remove(service);
    if (removed != null) {
      watched -= removed.size();
    }
  }

  private StateEnvelope.Header header(String service) {
    return new StateEnvelope.Header(
        STATE_FORMAT,
        service,
        SERIES_SCHEMA.hash(),
        "detector=" + detectorName + ", baselineWindows=" + config.baselineWindows());
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
