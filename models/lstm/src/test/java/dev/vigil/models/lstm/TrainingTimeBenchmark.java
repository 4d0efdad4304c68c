package dev.vigil.models.lstm;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.iforest.IsolationForestTrainer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times batch training on a fixed synthetic data set (not a test; run by hand, see BENCHMARKS.md):
 * the isolation forest on 7 days of one-minute service vectors (10,080 x 5), and the LSTM
 * forecaster on one day of one-minute data for 50 series (50 x 1,440) with the default
 * configuration.
 */
public final class TrainingTimeBenchmark {
  private TrainingTimeBenchmark() {}

  public static void main(String[] args) {
    Random r = new Random(42);
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    List<FeatureVector> service = new ArrayList<>();
    for (int i = 0; i < 7 * 1440; i++) {
      double day = Math.sin(2 * Math.PI * i / 1440.0);
      double p50 = 3 + 0.2 * day + 0.05 * r.nextGaussian();
      service.add(
          new FeatureVector(
              start.plusSeconds(60L * i),
              new double[] {
                p50, p50 + 1, p50 + 1.5, Math.abs(0.01 + 0.003 * r.nextGaussian()), 4 + day
              }));
    }
    TrainingSet iforestData = new TrainingSet(FeatureSchema.SERVICE_LATENCY_ERRORS_RATE, service);
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      new IsolationForestTrainer().train(iforestData);
      System.out.printf(
          "isolation_forest train 10080x5, 100 trees: %.3f s%n", (System.nanoTime() - t0) / 1e9);
    }
    List<String> names = new ArrayList<>();
    for (int s = 0; s < 50; s++) {
      names.add("service" + s + "/p95_latency");
    }
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < 1440; i++) {
      double[] v = new double[50];
      for (int s = 0; s < 50; s++) {
        v[s] = 100 + 10 * s + 20 * Math.sin(2 * Math.PI * i / 1440.0 + s) + 3 * r.nextGaussian();
      }
      rows.add(new FeatureVector(start.plusSeconds(60L * i), v));
    }
    TrainingSet lstmData = new TrainingSet(new FeatureSchema(names, "identity"), rows);
    long t0 = System.nanoTime();
    LstmForecaster f =
        new LstmForecasterTrainer(LstmForecasterConfig.builder().build(), Clock.systemUTC())
            .train(lstmData);
    System.out.printf(
        "lstm train 50 series x 1440 (seq 60, stride 10, hidden 32, 5 epochs): %.1f s, band %.3f%n",
        (System.nanoTime() - t0) / 1e9, f.band());
  }
}
