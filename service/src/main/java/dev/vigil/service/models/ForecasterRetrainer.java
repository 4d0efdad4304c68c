package dev.vigil.service.models;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.ServiceFeatureSchema;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.ForecastEvaluation;
import dev.vigil.models.forecast.ForecastEvaluator;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.lstm.LstmForecasterRecords;
import dev.vigil.models.lstm.LstmIncrementConfig;
import dev.vigil.models.lstm.LstmIncrementForecaster;
import dev.vigil.models.lstm.LstmIncrementForecasterTrainer;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.service.config.PredictiveConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Retrains the forecaster of the predictive alerts from a history's window vectors: one increment
 * LSTM shared by every service. The series (each service's watched latency per window, {@code
 * predictive.series}) are cut on one timeline; the oldest {@code 1 - holdOutShare} of it trains the
 * candidate, the newest is held out, and the candidate and the forecaster in use are evaluated on
 * it with {@link ForecastEvaluator} (false predictive alerts on the fault-free tail, recall and
 * lead time on ramps injected into copies of it, forecast error), behind the rule the service
 * alerts by. The candidate is promoted when there is no forecaster in use, the one in use does not
 * fit this history (window size, input schema, horizon), or the candidate {@link
 * ForecastEvaluation#beats} it.
 *
 * <p>One shared model rather than one per service: the forecaster sees every series in units of its
 * own noise ({@code IncrementScaling}), so what it learns (how a drift continues, how noise does
 * not) is the same at 2 ms and at 2 s; a service rarely leaks in its history, and all of them
 * together give the network more sequences to learn from; a service new since the last retraining
 * is forecast at once; and a retraining costs one training instead of one per service.
 */
public final class ForecasterRetrainer {
  /** Fault-free tail windows observed per series at most in the evaluation. */
  public static final int MAX_EVALUATION_WINDOWS = 360;

  private final PredictiveConfig predictive;
  private final MonitorConfig monitor;
  private final Duration window;
  private final double holdOutShare;
  private final LstmIncrementConfig config;
  private final Clock clock;

  /**
   * What the retraining came to.
   *
   * @param series series it had
   * @param windows windows on the timeline
   * @param candidate the candidate's evaluation, if one was trained
   * @param inUse the evaluation of the forecaster in use, if one fit
   * @param promote the record to promote, if the candidate won
   * @param reason why, with the figures
   */
  public record Outcome(
      int series,
      int windows,
      Optional<ForecastEvaluation> candidate,
      Optional<ForecastEvaluation> inUse,
      Optional<RegisteredModel> promote,
      String reason) {}

  /**
   * @param predictive horizon, series and rule of the predictive alerts
   * @param monitor the threshold detector's configuration (the alert levels)
   * @param window the window size of the history's vectors
   * @param holdOutShare the newest share of the timeline held out for evaluation
   * @param clock stamps training and promotion
   */
  public ForecasterRetrainer(
      PredictiveConfig predictive,
      MonitorConfig monitor,
      Duration window,
      double holdOutShare,
      Clock clock) {
    this.predictive = predictive;
    this.monitor = monitor;
    this.window = window;
    this.holdOutShare = holdOutShare;
    this.config =
        LstmIncrementConfig.builder()
            .horizon(Math.max(LstmIncrementConfig.DEFAULT_HORIZON, predictive.horizonWindows()))
            .maxSequencesPerEpoch(predictive.trainingSequences())
            .build();
    this.clock = clock;
  }

  /**
   * @param history window vectors by service ({@link HistoryWindows}), oldest first
   * @param inUse the registry's forecaster, if any
   */
  public Outcome retrain(
      Map<String, List<FeatureVector>> history, Optional<RegisteredModel> inUse) {
    Timeline t = timeline(history);
    int split = (int) Math.round(t.length * (1 - holdOutShare));
    int needed = config.sequenceLength() + config.horizon();
    if (t.series.isEmpty() || split < needed || t.length - split < predictive.horizonWindows()) {
      return new Outcome(
          t.series.size(),
          t.length,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          String.format(
              Locale.ROOT,
              "history too short: %d windows, the forecaster needs %d to train (%d read + %d"
                  + " ahead) before the held-out %.0f %%",
              t.length,
              needed,
              config.sequenceLength(),
              config.horizon(),
              holdOutShare * 100));
    }
    LstmIncrementForecaster candidate;
    try {
      candidate = train(t, split);
    } catch (IllegalArgumentException e) {
      return new Outcome(
          t.series.size(),
          t.length,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          "not trained: " + e.getMessage());
    }
    ForecastEvaluation c = evaluate("candidate", candidate, t, split);
    Optional<ForecastEvaluation> old = Optional.empty();
    String why;
    if (inUse.isEmpty()) {
      why = "no forecaster in use";
    } else {
      Forecaster f;
      try {
        f = LstmForecasterRecords.load(inUse.get(), window, predictive.horizonWindows());
      } catch (IncompatibleModelException e) {
        f = null;
        why = "the forecaster in use does not fit: " + e.getMessage();
      }
      if (f != null) {
        old = Optional.of(evaluate(inUse.get().describe(), f, t, split));
        why =
            c.beats(old.get())
                ? "better than " + inUse.get().describe()
                : "the forecaster in use is as good";
      } else {
        why = "the forecaster in use does not fit";
      }
    }
    boolean promote = old.isEmpty() || c.beats(old.get());
    String reason = why + ": " + figures(c) + old.map(o -> "; in use " + figures(o)).orElse("");
    Optional<RegisteredModel> record =
        promote
            ? Optional.of(
                LstmForecasterRecords.toRecord(
                    candidate, window, clock.instant(), c.asMap(), reason))
            : Optional.empty();
    return new Outcome(t.series.size(), t.length, Optional.of(c), old, record, reason);
  }

  private String figures(ForecastEvaluation e) {
    return String.format(
        Locale.ROOT,
        "ramps alerted %d/%d (lead %.1f windows), %d false predictive alerts in %d windows,"
            + " forecast error %.2f noise units (last value %.2f)",
        e.rampsAlerted(),
        e.ramps(),
        e.meanLeadWindows(),
        e.falseAlerts(),
        e.windows(),
        e.mae(),
        e.naiveMae());
  }

  private ForecastEvaluation evaluate(String name, Forecaster f, Timeline t, int split) {
    ForecastEvaluation total = null;
    for (Feature feature : predictive.series()) {
      Map<String, double[]> series = new LinkedHashMap<>();
      t.series.forEach(
          (k, v) -> {
            if (k.endsWith("/" + feature.id())) {
              series.put(k.substring(0, k.length() - feature.id().length() - 1), v);
            }
          });
      ForecastEvaluation e =
          new ForecastEvaluator(
                  predictive.horizonWindows(),
                  feature,
                  predictive.rule(),
                  monitor,
                  MAX_EVALUATION_WINDOWS)
              .evaluate(name, f, series, split, t.start.plus(window), window);
      total = total == null ? e : plus(total, e);
    }
    return total;
  }

  private static ForecastEvaluation plus(ForecastEvaluation a, ForecastEvaluation b) {
    long n = a.windows() + b.windows();
    return new ForecastEvaluation(
        a.model(),
        a.series() + b.series(),
        n,
        (a.mae() * a.windows() + b.mae() * b.windows()) / Math.max(1, n),
        (a.naiveMae() * a.windows() + b.naiveMae() * b.windows()) / Math.max(1, n),
        a.ramps() + b.ramps(),
        a.rampsAlerted() + b.rampsAlerted(),
        (a.meanLeadWindows() * a.rampsAlerted() + b.meanLeadWindows() * b.rampsAlerted())
            / Math.max(1, a.rampsAlerted() + b.rampsAlerted()),
        a.falseAlerts() + b.falseAlerts());
  }

  private LstmIncrementForecaster train(Timeline t, int split) {
    List<String> names = new ArrayList<>(t.series.keySet());
    List<FeatureVector> rows = new ArrayList<>(split);
    for (int i = 0; i < split; i++) {
      double[] row = new double[names.size()];
      for (int c = 0; c < row.length; c++) {
        row[c] = t.series.get(names.get(c))[i];
      }
      rows.add(new FeatureVector(t.start.plus(window.multipliedBy(i)), row));
    }
    return new LstmIncrementForecasterTrainer(config, clock)
        .train(new TrainingSet(FeatureSchema.of(names.toArray(String[]::new)), rows));
  }

  /** The watched series ({@code service/feature}) on one timeline of windows; NaN: no window. */
  private record Timeline(Instant start, int length, Map<String, double[]> series) {}

  private Timeline timeline(Map<String, List<FeatureVector>> history) {
    Instant start = null;
    Instant end = null;
    for (List<FeatureVector> v : history.values()) {
      if (v.isEmpty()) {
        continue;
      }
      Instant a = v.get(0).time();
      Instant b = v.get(v.size() - 1).time();
      start = start == null || a.isBefore(start) ? a : start;
      end = end == null || b.isAfter(end) ? b : end;
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    if (start == null) {
      return new Timeline(Instant.EPOCH, 0, series);
    }
    int length = (int) (Duration.between(start, end).toMillis() / window.toMillis()) + 1;
    for (Map.Entry<String, List<FeatureVector>> e : history.entrySet()) {
      for (Feature feature : predictive.series()) {
        int column = ServiceFeatureSchema.DETECTOR_FEATURES.indexOf(feature);
        double[] v = new double[length];
        Arrays.fill(v, Double.NaN);
        for (FeatureVector x : e.getValue()) {
          int i = (int) (Duration.between(start, x.time()).toMillis() / window.toMillis());
          if (i >= 0 && i < length) {
            v[i] = Math.expm1(x.values()[column]); // the vector holds log1p of a latency
          }
        }
        series.put(e.getKey() + "/" + feature.id(), v);
      }
    }
    return new Timeline(start, length, series);
  }
}
