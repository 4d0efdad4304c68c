package dev.vigil.service.models;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.lstm.LstmIncrementConfig;
import dev.vigil.models.lstm.LstmIncrementForecasterTrainer;
import dev.vigil.service.pipeline.PipelineListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forecaster for a run that has no history to retrain on (the demo): it collects the watched
 * latency series of every service from the first {@code windows} closed windows, then trains an
 * {@link LstmIncrementForecasterTrainer increment LSTM} on them on a thread of its own (the trainer
 * adds the synthetic drifts; nothing of the run's faults is known to it) and hands it over.
 * Training happens once; a failure is logged and reported, and predictive alerts stay off.
 */
public final class WarmUpForecaster implements PipelineListener {
  private static final Logger log = LoggerFactory.getLogger(WarmUpForecaster.class);

  /** What became of the training, for people. */
  public interface Report {
    /** Training begins (on the thread that closed the last window, before the training thread). */
    default void training(int windows, int series) {}

    void trained(Forecaster forecaster, int windows, int series, Duration took);

    void failed(String reason);
  }

  private final int windows;
  private final List<Feature> features;
  private final LstmIncrementConfig config;
  private final Consumer<Forecaster> use;
  private final Report report;
  private final Clock clock;
  private final List<Instant> times = new ArrayList<>();
  private final Map<String, double[]> values = new LinkedHashMap<>();
  private boolean started;

  /**
   * @param windows closed windows to collect before training
   * @param features the latency series of each service
   * @param config the trainer's configuration (its horizon is the predictive horizon)
   * @param use receives the trained forecaster, on the training thread
   */
  public WarmUpForecaster(
      int windows,
      List<Feature> features,
      LstmIncrementConfig config,
      Consumer<Forecaster> use,
      Report report,
      Clock clock) {
    if (windows < config.sequenceLength() + config.horizon()) {
      throw new IllegalArgumentException(
          "windows must be at least sequenceLength + horizon ("
              + (config.sequenceLength() + config.horizon())
              + "), got "
              + windows);
    }
    this.windows = windows;
    this.features = List.copyOf(features);
    this.config = config;
    this.use = use;
    this.report = report;
    this.clock = clock;
  }

  @Override
  public void onWindow(WindowFeatures window) {
    if (started || window.services().isEmpty()) {
      return;
    }
    int n = times.size();
    times.add(window.end());
    for (ServiceFeatures f : window.services().values()) {
      for (Feature feature : features) {
        double[] v =
            values.computeIfAbsent(
                f.service() + "/" + feature.id(),
                k -> {
                  double[] a = new double[windows];
                  Arrays.fill(a, Double.NaN);
                  return a;
                });
        v[n] = feature.read(f, window.size());
      }
    }
    if (times.size() == windows) {
      started = true;
      report.training(windows, values.size());
      Thread t = new Thread(this::train, "vigil-forecaster-training");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      t.start();
    }
  }

  private void train() {
    long t0 = System.nanoTime();
    try {
      List<String> names = new ArrayList<>(values.keySet());
      List<FeatureVector> rows = new ArrayList<>();
      for (int i = 0; i < windows; i++) {
        double[] row = new double[names.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = values.get(names.get(c))[i];
        }
        rows.add(new FeatureVector(times.get(i), row));
      }
      Forecaster f =
          new LstmIncrementForecasterTrainer(config, clock)
              .train(new TrainingSet(FeatureSchema.of(names.toArray(String[]::new)), rows));
      use.accept(f);
      report.trained(f, windows, names.size(), Duration.ofNanos(System.nanoTime() - t0));
    } catch (RuntimeException | LinkageError e) {
      log.warn("forecaster training on the warm-up windows failed; no predictive alerts", e);
      report.failed(e.toString());
    }
  }
}
