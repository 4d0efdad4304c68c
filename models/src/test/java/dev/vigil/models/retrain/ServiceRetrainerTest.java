package dev.vigil.models.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.ModelScore;
import dev.vigil.models.registry.ModelStatus;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.models.registry.TrainedModelScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRetrainerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final Instant T0 = Instant.parse("2025-12-31T00:00:00Z");

  /**
   * Normal windows of a service: request_rate, error_rate, p50, p95, self_p95 in the detector
   * vector's transform (log1p of rate and latencies).
   */
  static List<FeatureVector> windows(int n, double p50Millis, long seed) {
    Random r = new Random(seed);
    List<FeatureVector> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double rate = 20 * (1 + 0.3 * Math.sin(i / 50.0)) * (1 + 0.05 * r.nextGaussian());
      double p50 = p50Millis * (1 + 0.08 * r.nextGaussian());
      out.add(
          new FeatureVector(
              T0.plusSeconds(10L * i),
              new double[] {
                Math.log1p(rate),
                Math.max(0, 0.005 + 0.004 * r.nextGaussian()),
                Math.log1p(p50),
                Math.log1p(p50 * 2.2 * (1 + 0.1 * r.nextGaussian())),
                Math.log1p(p50 * 0.8 * (1 + 0.1 * r.nextGaussian()))
              }));
    }
    return out;
  }

  @Test
  void promotesTheFirstModelThenKeepsItOnTheSameTrafficAndReplacesItWhenTrafficMoves(
      @TempDir Path dir) {
    ServiceRetrainer retrainer = new ServiceRetrainer(RetrainConfig.defaults(), CLOCK);
    ModelRegistry registry = ModelRegistry.directory(dir);

    RetrainOutcome first = retrainer.retrain("checkout", windows(1200, 40, 1), Optional.empty());
    assertThat(first.candidates()).hasSize(2);
    assertThat(first.candidates().get(0).recall()).isGreaterThan(0.8);
    assertThat(first.candidates().get(0).falseAlarmRate()).isLessThan(0.1);
    assertThat(first.promote()).isPresent();
    assertThat(first.reason()).startsWith("first model");
    RegisteredModel v1 = registry.promote(first.promote().get());
    assertThat(v1.version()).isEqualTo(1);

    RetrainOutcome same =
        retrainer.retrain("checkout", windows(1200, 40, 1), registry.current("checkout"));
    assertThat(same.inUse()).isPresent();
    assertThat(same.promote()).isEmpty();
    assertThat(same.reason()).startsWith("the model in use is as good");

    // A deploy made the service three times slower for good: the old model alarms on every
    // recent window; the new one, trained on the new normal, does not.
    List<FeatureVector> moved = new ArrayList<>(windows(600, 40, 2));
    for (FeatureVector v : windows(900, 120, 3)) {
      moved.add(new FeatureVector(v.time().plusSeconds(6000), v.values()));
    }
    RetrainOutcome drift =
        retrainer.retrain("checkout", moved.subList(600, 1500), registry.current("checkout"));
    assertThat(drift.inUse().get().falseAlarmRate()).isGreaterThan(0.5);
    assertThat(drift.promote()).isPresent();
    assertThat(drift.reason()).contains("traffic moved");
    assertThat(registry.promote(drift.promote().get()).version()).isEqualTo(2);
  }

  @Test
  void aServiceWithTooLittleHistoryIsLeftToTheStreamingDetectors() {
    RetrainOutcome o =
        new ServiceRetrainer(RetrainConfig.defaults(), CLOCK)
            .retrain("new-service", windows(50, 40, 1), Optional.empty());
    assertThat(o.promote()).isEmpty();
    assertThat(o.reason()).contains("50 windows");
  }

  @Test
  void theScorerSwapsToANewerVersionAndRefusesAModelOfAnotherSchema(@TempDir Path dir)
      throws Exception {
    ServiceRetrainer retrainer = new ServiceRetrainer(RetrainConfig.defaults(), CLOCK);
    ModelRegistry registry = ModelRegistry.directory(dir);
    registry.promote(
        retrainer.retrain("cart", windows(1000, 30, 5), Optional.empty()).promote().get());
    TrainedModelScorer scorer = new TrainedModelScorer(ServiceRetrainer.schema(), CLOCK);
    assertThat(scorer.refresh(registry)).containsExactly("cart: none -> " + kind(registry) + " v1");

    FeatureVector normal = windows(1, 30, 9).get(0);
    double[] slow = normal.values();
    slow[2] = Math.log1p(300);
    slow[3] = Math.log1p(700);
    slow[4] = Math.log1p(250);
    ModelScore n = scorer.score("cart", normal).orElseThrow();
    ModelScore s = scorer.score("cart", new FeatureVector(normal.time(), slow)).orElseThrow();
    assertThat(s.alarm()).isTrue();
    assertThat(s.calibratedScore()).isGreaterThan(3).isGreaterThan(n.calibratedScore());
    assertThat(scorer.score("unknown", normal)).isEmpty();

    // A model of another feature schema is refused; version 1 stays in use.
    TrainedModelScorer other =
        new TrainedModelScorer(FeatureSchema.of("a", "b", "c", "d", "e"), CLOCK);
    assertThat(other.refresh(registry)).singleElement().asString().contains("refused");
    assertThat(other.status())
        .singleElement()
        .satisfies(st -> assertThat(st.refused()).isPresent());

    // A newer version appears: the running scorer swaps to it.
    registry.promote(
        retrainer.retrain("cart", windows(1000, 30, 6), Optional.empty()).promote().get());
    assertThat(scorer.refresh(registry)).singleElement().asString().endsWith("v2");
    ModelStatus st = scorer.status().get(0);
    assertThat(st.model().get().version()).isEqualTo(2);
    assertThat(st.scoredWindows()).isZero();

    // A record of a newer format is reported and skipped; v2 stays.
    Path cart = Files.list(dir).findFirst().orElseThrow();
    Files.writeString(cart.resolve("v3.json"), "{\"format\":\"vigil.model\",\"version\":99}");
    assertThat(registry.current("cart").get().version()).isEqualTo(2);
    assertThat(scorer.refresh(registry)).singleElement().asString().contains("version 99");
  }

  private static String kind(ModelRegistry r) {
    return r.current("cart").get().kind();
  }
}
