package dev.vigil.models;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.ensemble.ScoreCalibrator;
import dev.vigil.models.internal.RingState;
import dev.vigil.models.internal.StateCodec;
import dev.vigil.models.registry.ModelScore;
import dev.vigil.models.registry.TrainedModelScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs one detector per service over closed windows and turns its alarms into {@link Anomaly}s.
 *
 * <p>An anomaly needs two things: a harmful change that a robust baseline confirms (a feature whose
 * robust z-score passes {@link MonitorConfig#zThreshold()} and whose change passes the relative and
 * absolute floors), and either an alarm of the random cut forest or a change so large ({@link
 * MonitorConfig#strongZ()}) that it needs no second opinion. The baseline is what the anomaly's
 * evidence is reported against; only windows judged normal update it.
 *
 * <p>What it learns about a service (the forest, the baselines, the count of unsettled windows) can
 * be saved with {@link #snapshot} and restored with {@link #restore}, in another process of the
 * same build and configuration: fed the same windows, the restored monitor reports exactly what the
 * saved one would have. Not thread-safe.
 */
public final class ServiceAnomalyMonitor {
  /** The {@code format} of this monitor's snapshots. */
  public static final String STATE_FORMAT = "vigil.service_monitor";

  private final MonitorConfig config;
  private final Map<String, Detector> detectors = new HashMap<>();
  private final Map<String, Map<Feature, RobustBaseline>> baselines = new HashMap<>();
  private final Map<String, Integer> skippedInARow = new HashMap<>();
  private volatile TrainedModelScorer trained;

  public ServiceAnomalyMonitor(MonitorConfig config) {
    this.config = config;
  }

  /**
   * Lets batch-trained models vote beside the random cut forest: a service whose trained model's
   * calibrated score reaches {@link ScoreCalibrator#DEFAULT_ALARM_THRESHOLD} (and its own
   * threshold) alarms as the forest's alarm would, and the model (e.g. {@code isolation_forest v2
   * of checkout}) is named among the anomaly's detectors. The baseline must still confirm a harmful
   * change. Services without a trained model are scored as before.
   */
  public void useTrainedModels(TrainedModelScorer scorer) {
    this.trained = scorer;
  }

  /** Scores every service of the window, learns from it, and returns its anomalies. */
  public List<Anomaly> observe(WindowFeatures window) {
    return assess(window).anomalies();
  }

  /**
   * Scores every service of the window and learns from it, as {@link #observe}, and also says which
   * services' windows were unsettled: deviating on a harmful feature but not flagged, and therefore
   * not learned (see {@link WindowAssessment}).
   */
  public WindowAssessment assess(WindowFeatures window) {
    List<Anomaly> anomalies = new ArrayList<>();
    Set<String> unsettled = new TreeSet<>();
    for (ServiceFeatures f : window.services().values()) {
      if (f.requests() < config.minRequests()) {
        continue;
      }
      FeatureVector vector = ServiceFeatureSchema.vector(f, window.start(), window.size());
      DetectorResult result =
          detectors.computeIfAbsent(f.service(), this::newDetector).scoreAndLearn(vector);
      List<FeatureDeviation> drivers = deviations(f, window.size());
      double maxZ = drivers.stream().mapToDouble(d -> Math.abs(d.zScore())).max().orElse(0);
      boolean forestAlarm = result.isAnomaly();
      boolean strong = maxZ >= config.strongZ();
      TrainedModelScorer scorer = trained;
      Optional<ModelScore> model =
          scorer == null ? Optional.empty() : scorer.score(f.service(), vector);
      boolean modelAlarm =
          model.isPresent()
              && model.get().alarm()
              && model.get().calibratedScore() >= ScoreCalibrator.DEFAULT_ALARM_THRESHOLD;
      if (!drivers.isEmpty() && (forestAlarm || strong || modelAlarm)) {
        Set<String> exemplars = new LinkedHashSet<>(f.errorTraceIds());
        exemplars.addAll(f.slowTraceIds());
        List<String> by = new ArrayList<>(2);
        if (forestAlarm) {
          by.add("random_cut_forest");
        }
        if (modelAlarm) {
          by.add(model.get().model());
        }
        if (strong) {
          by.add("robust_baseline");
        }
        double grade =
            forestAlarm || modelAlarm
                ? Math.max(forestAlarm ? result.grade() : 0, 0.5)
                : Math.min(1, maxZ / (2 * config.strongZ()));
        anomalies.add(
            new Anomaly(f.service(), window.start(), grade, by, drivers, List.copyOf(exemplars)));
      } else if (looksNormal(f, window.size())) {
        learn(f, window.size());
      } else {
        unsettled.add(f.service());
      }
    }
    anomalies.sort(Comparator.comparing(Anomaly::service));
    return new WindowAssessment(anomalies, unsettled);
  }

  /**
   * The harmful, baseline-confirmed changes of a service window, most deviant first; empty while
   * the baseline is warming up or when nothing changed. A request-rate change is reported only
   * alongside a harmful one.
   */
  public List<FeatureDeviation> deviations(ServiceFeatures f, Duration window) {
    List<FeatureDeviation> harmful = new ArrayList<>();
    FeatureDeviation rate = null;
    for (Feature feature : Feature.values()) {
      Optional<FeatureDeviation> d = deviation(f, feature, window);
      if (d.isEmpty()) {
        continue;
      }
      if (feature.harmfulWhenUp()) {
        if (isSignificant(feature, d.get(), f)) {
          harmful.add(d.get());
        }
      } else if (Math.abs(d.get().zScore()) >= config.zThreshold()
          && Math.abs(d.get().ratio() - 1) >= 0.5) {
        rate = d.get();
      }
    }
    if (!harmful.isEmpty() && rate != null) {
      harmful.add(rate);
    }
    harmful.sort(Comparator.comparingDouble((FeatureDeviation d) -> -Math.abs(d.zScore())));
    return harmful;
  }

  /** One feature of a service window against its baseline, if the baseline is ready. */
  public Optional<FeatureDeviation> deviation(ServiceFeatures f, Feature feature, Duration window) {
    RobustBaseline b = baselines.getOrDefault(f.service(), Map.of()).get(feature);
    double actual = feature.read(f, window);
    if (b == null || b.size() < config.minBaselineWindows() || Double.isNaN(actual)) {
      return Optional.empty();
    }
    double median = b.median();
    double minSpread =
        feature.isLatency()
            ? Math.max(0.5, 0.05 * median)
            : feature == Feature.REQUEST_RATE ? Math.max(0.1, 0.05 * median) : 0.01;
    return Optional.of(
        new FeatureDeviation(
            feature.id(), feature.unit(), median, actual, b.zScore(actual, minSpread)));
  }

  private boolean isSignificant(Feature feature, FeatureDeviation d, ServiceFeatures f) {
    double increase = d.actual() - d.baseline();
    if (d.zScore() < config.zThreshold()) {
      return false;
    }
    if (feature.isLatency()) {
      if (feature.tailShare() > 0
          && f.requests() * feature.tailShare() < config.minTailRequests()) {
        return false;
      }
      return increase
          >= Math.max(config.minLatencyChange() * d.baseline(), config.minLatencyMillis());
    }
    long errors = feature == Feature.SELF_ERROR_RATE ? f.selfErrors() : f.errors();
    return increase >= config.minErrorRateChange() && errors >= config.minErrors();
  }

  /**
   * Whether an unflagged window may teach the baseline. A window that deviates on a harmful feature
   * but was not flagged (too few requests to count, say, in a quiet service's trough) is not
   * learned: otherwise an ongoing fault seeps into the baseline through its quiet windows and the
   * incident fades while the fault goes on. Nor is a window whose latency continues a significant
   * rise through the baseline (a Mann-Kendall z of at least {@code zThreshold} over the learnt
   * windows and this one): a slow burn, a leak, stays below the z threshold of a baseline that
   * learns it, since the baseline's median and spread follow a steady ramp at a fixed lag; frozen,
   * the baseline lets the ramp reach the alert level. So that a lasting change that is never
   * flagged cannot freeze the baseline for good, after {@code baselineWindows} such windows in a
   * row it is learned again.
   */
  private boolean looksNormal(ServiceFeatures f, Duration window) {
    boolean deviates = false;
    for (Feature feature : Feature.values()) {
      if (feature.harmfulWhenUp()) {
        Optional<FeatureDeviation> d = deviation(f, feature, window);
        deviates |=
            d.isPresent()
                && (d.get().zScore() >= config.zThreshold()
                    || feature.isLatency() && rising(f.service(), feature, d.get()));
      }
    }
    if (!deviates) {
      skippedInARow.remove(f.service());
      return true;
    }
    int skipped = skippedInARow.merge(f.service(), 1, Integer::sum);
    return skipped > config.baselineWindows();
  }

  /** Whether a latency above its baseline continues a significant rise through it. */
  private boolean rising(String service, Feature feature, FeatureDeviation d) {
    return d.actual() > d.baseline()
        && baselines.get(service).get(feature).trendZ(d.actual()) >= config.zThreshold();
  }

  private void learn(ServiceFeatures f, Duration window) {
    Map<Feature, RobustBaseline> perFeature =
        baselines.computeIfAbsent(f.service(), s -> new EnumMap<>(Feature.class));
    for (Feature feature : Feature.values()) {
      perFeature
          .computeIfAbsent(feature, k -> new RobustBaseline(config.baselineWindows()))
          .add(feature.read(f, window));
    }
  }

  private Detector newDetector(String service) {
    return Detector.randomCutForest(
        config.forest().withSeed(config.forest().seed() + service.hashCode()));
  }

  /** The services the monitor has learnt about, sorted. */
  public Set<String> services() {
    return Collections.unmodifiableSet(new TreeSet<>(detectors.keySet()));
  }

  /**
   * What the monitor has learnt about a service, to be read back by {@link #restore}: a {@value
   * #STATE_FORMAT} snapshot carrying its format version, the Vigil version, the feature schema hash
   * and the configuration that shapes it.
   *
   * @throws IllegalArgumentException if the monitor knows nothing of the service
   */
  public byte[] snapshot(String service) {
    Detector detector = detectors.get(service);
    if (detector == null) {
      throw new IllegalArgumentException(
          "no state for service '" + service + "'; services() lists those with one");
    }
    Map<String, RingState> rings = new TreeMap<>();
    baselines.getOrDefault(service, Map.of()).forEach((f, b) -> rings.put(f.id(), b.state()));
    ServiceState state =
        new ServiceState(detector.snapshot(), rings, skippedInARow.getOrDefault(service, 0));
    return StateEnvelope.seal(header(service), StateCodec.write(state));
  }

  /**
   * Replaces what the monitor knows of a service by a {@link #snapshot}, all or nothing.
   *
   * @throws IncompatibleModelException if the snapshot is corrupt or was written by another format
   *     version, feature schema or configuration; the message says which. The monitor then knows
   *     nothing of the service and learns it anew.
   */
  public void restore(String service, byte[] snapshot) {
    forget(service);
    StateEnvelope.Header header = header(service);
    byte[] bytes = StateEnvelope.open(snapshot, header);
    Detector detector = newDetector(service);
    Map<Feature, RobustBaseline> perFeature = new EnumMap<>(Feature.class);
    ServiceState state;
    try {
      state = StateCodec.read(bytes, ServiceState.class, "the state");
      detector.restore(state.forest());
      state
          .baselines()
          .forEach(
              (id, ring) -> {
                RobustBaseline b = new RobustBaseline(config.baselineWindows());
                b.restore(ring);
                perFeature.put(feature(id), b);
              });
      if (state.skippedInARow() < 0) {
        throw new IncompatibleModelException("negative count of unsettled windows");
      }
    } catch (RuntimeException e) {
      throw StateEnvelope.refused(STATE_FORMAT, service, e);
    }
    detectors.put(service, detector);
    if (!perFeature.isEmpty()) {
      baselines.put(service, perFeature);
    }
    if (state.skippedInARow() > 0) {
      skippedInARow.put(service, state.skippedInARow());
    }
  }

  /** Forgets what the monitor learnt about a service (say, when another instance now owns it). */
  public void forget(String service) {
    detectors.remove(service);
    baselines.remove(service);
    skippedInARow.remove(service);
  }

  private StateEnvelope.Header header(String service) {
    return new StateEnvelope.Header(
        STATE_FORMAT,
        service,
        ServiceFeatureSchema.hash(),
        "baselineWindows=" + config.baselineWindows() + ", forest=" + config.forest());
  }

  private static Feature feature(String id) {
    for (Feature f : Feature.values()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    throw new IncompatibleModelException("unknown feature '" + id + "'");
  }

  /**
   * One service's learnt state.
   *
   * @param forest the random cut forest's snapshot
   * @param baselines the robust baselines by feature id
   * @param skippedInARow unsettled windows in a row (see {@link #looksNormal})
   */
  record ServiceState(byte[] forest, Map<String, RingState> baselines, int skippedInARow) {}

  /**
   * The level at which a latency feature of the service starts to count as a harmful change: its
   * baseline median plus the largest of {@code zThreshold} robust spreads, {@code minLatencyChange}
   * of the median and {@code minLatencyMillis}. Empty while the baseline warms up, and for features
   * that are not latencies. What a predictive alert forecasts a crossing of.
   */
  public OptionalDouble alertLevel(String service, Feature feature) {
    RobustBaseline b = baselines.getOrDefault(service, Map.of()).get(feature);
    if (!feature.isLatency() || b == null || b.size() < config.minBaselineWindows()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(latencyAlertLevel(b, config));
  }

  /**
   * The alert level of a latency baseline under {@code config} (see {@link #alertLevel}); the
   * retraining job evaluates forecasters against the same level.
   */
  public static double latencyAlertLevel(RobustBaseline b, MonitorConfig config) {
    double median = b.median();
    double spread = Math.max(RobustBaseline.MAD_TO_SIGMA * b.mad(), Math.max(0.5, 0.05 * median));
    return median
        + Math.max(
            config.zThreshold() * spread,
            Math.max(config.minLatencyChange() * median, config.minLatencyMillis()));
  }

  /** Whether the service's baseline can confirm anomalies yet. */
  public boolean isWarm(String service) {
    RobustBaseline b = baselines.getOrDefault(service, Map.of()).get(Feature.P95_LATENCY);
    return b != null && b.size() >= config.minBaselineWindows();
  }
}
