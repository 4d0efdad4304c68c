package dev.vigil.models.iforest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.TrainingSet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsolationForestTest {
  static final FeatureSchema SCHEMA = FeatureSchema.SERVICE_LATENCY_ERRORS_RATE;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** Normal service windows: log latencies around 3-5, error rate ~1%, log rate ~4. */
  static TrainingSet normalWindows(int n, long seed) {
    Random r = new Random(seed);
    List<FeatureVector> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double p50 = 3 + 0.1 * r.nextGaussian();
      rows.add(
          new FeatureVector(
              Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * i),
              new double[] {
                p50,
                p50 + 1 + 0.1 * r.nextGaussian(),
                p50 + 1.5 + 0.1 * r.nextGaussian(),
                Math.abs(0.01 + 0.005 * r.nextGaussian()),
                4 + 0.2 * r.nextGaussian()
              }));
    }
    return new TrainingSet(SCHEMA, rows);
  }

  static IsolationForest train(int trees, int sample) {
    IsolationForestConfig config =
        IsolationForestConfig.builder().numberOfTrees(trees).sampleSize(sample).seed(7).build();
    return new IsolationForestTrainer(config, CLOCK).train(normalWindows(2000, 1));
  }

  @Test
  void scoresOutliersAboveTheContaminationThresholdAndNormalPointsBelow() {
    IsolationForest forest = train(100, 256);
    FeatureVector slow = new FeatureVector(Instant.EPOCH, new double[] {5.5, 6.5, 7.0, 0.01, 4});
    // Failing fast: errors up and the request rate down, latency normal.
    FeatureVector failing = new FeatureVector(Instant.EPOCH, new double[] {3, 4, 4.5, 0.4, 2});
    FeatureVector normal = new FeatureVector(Instant.EPOCH, new double[] {3, 4, 4.5, 0.01, 4});
    assertThat(forest.isAnomaly(slow)).isTrue();
    assertThat(forest.isAnomaly(failing)).isTrue();
    assertThat(forest.isAnomaly(normal)).isFalse();
    assertThat(forest.score(slow)).isGreaterThan(0.6);
    assertThat(forest.score(normal)).isLessThan(0.5);
  }

  @Test
  void thresholdFlagsAboutTheContaminationShareOfFreshNormalData() {
    IsolationForest forest = train(100, 256);
    long flagged = normalWindows(5000, 99).rows().stream().filter(forest::isAnomaly).count();
    assertThat(flagged / 5000.0).isBetween(0.002, 0.03);
  }

  @Test
  void recordsProvenanceAndIsDeterministicForASeed() {
    IsolationForest a = train(20, 64);
    IsolationForest b = train(20, 64);
    FeatureVector p = new FeatureVector(Instant.EPOCH, new double[] {4, 5, 5, 0.05, 3});
    assertThat(a.score(p)).isEqualTo(b.score(p));
    assertThat(a.provenance().trainer()).isEqualTo("isolation_forest");
    assertThat(a.provenance().featureSchemaHash()).isEqualTo(SCHEMA.hash());
    assertThat(a.provenance().seed()).isEqualTo(7);
    assertThat(a.provenance().rows()).isEqualTo(2000);
    assertThat(a.provenance().trainedAt()).isEqualTo(CLOCK.instant());
    assertThat(a.provenance().dataStart()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(a.provenance().trainerConfig()).containsEntry("contamination", "0.01");
  }

  @Test
  void savedStateLoadsToTheSameModel(@TempDir Path dir) {
    IsolationForest forest = train(10, 32);
    Path file = dir.resolve("forest.json");
    IsolationForestState.write(forest, file);
    IsolationForest loaded = IsolationForestState.read(file, SCHEMA);
    FeatureVector p = new FeatureVector(Instant.EPOCH, new double[] {4, 5, 5, 0.05, 3});
    assertThat(loaded.score(p)).isEqualTo(forest.score(p));
    assertThat(loaded.threshold()).isEqualTo(forest.threshold());
    assertThat(loaded.provenance()).isEqualTo(forest.provenance());
  }

  @Test
  void refusesAStateTrainedOnAnotherSchema(@TempDir Path dir) {
    Path file = dir.resolve("forest.json");
    IsolationForestState.write(train(5, 16), file);
    FeatureSchema other = FeatureSchema.of("p95_latency", "error_rate");
    assertThatThrownBy(() -> IsolationForestState.read(file, other))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("trained on feature schema " + SCHEMA.hash())
        .hasMessageContaining("[p95_latency, error_rate]")
        .hasMessageContaining("retrain");
  }

  @Test
  void rejectsBadConfiguration() {
    assertThatThrownBy(() -> IsolationForestConfig.builder().contamination(0.6).build())
        .hasMessage("contamination must be in (0, 0.5)");
    assertThatThrownBy(() -> IsolationForestConfig.builder().sampleSize(1).build())
        .hasMessage("sampleSize must be at least 2");
  }

  @Test
  void averagePathLengthMatchesThePaper() {
    assertThat(IsolationForest.averagePathLength(1)).isZero();
    assertThat(IsolationForest.averagePathLength(2)).isEqualTo(1.0);
    // c(256) = 2 H(255) - 2 * 255 / 256, H(i) ~ ln(i) + 0.5772
    assertThat(IsolationForest.averagePathLength(256)).isCloseTo(10.2448, within());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-3);
  }
}
