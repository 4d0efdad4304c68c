package dev.vigil.models.iforest;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.TrainingSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times batch training on a fixed synthetic data set (not a test; run by hand, see BENCHMARKS.md):
 * the isolation forest on 7 days of one-minute service vectors (10,080 x 5). The LSTM forecaster's
 * training is timed on a simulated day of 50 services by {@code dev.vigil.benchmarks.RetrainDay}.
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
  }
}
