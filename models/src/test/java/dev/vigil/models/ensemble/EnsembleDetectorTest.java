package dev.vigil.models.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.Detector;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.RandomCutForestConfig;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnsembleDetectorTest {
  static final FeatureSchema SCHEMA = FeatureSchema.SERVICE_LATENCY_ERRORS_RATE;

  @Test
  void calibratorReportsZScoresOfEarlierScores() {
    ScoreCalibrator c = new ScoreCalibrator(5);
    for (int i = 0; i < 5; i++) {
      assertThat(c.calibrate(i % 2 == 0 ? 1 : 3)).isZero();
    }
    // Mean 1.8, sample sd ~1.095: 10 is ~7.5 sd away.
    assertThat(c.calibrate(10)).isCloseTo(7.48, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void namesTheAlarmingDetectorsAndTheBlamedFeature() {
    EnsembleDetector ensemble =
        new EnsembleDetector(
            SCHEMA,
            List.of(
                Detector.randomCutForest(RandomCutForestConfig.defaults(5)),
                new SeasonalVectorDetector(5)),
            ScoreCalibrator.DEFAULT_ALARM_THRESHOLD);
    Random r = new Random(3);
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    int alarms = 0;
    for (int i = 0; i < 600; i++, t = t.plusSeconds(60)) {
      EnsembleResult res = ensemble.observe(point(t, r, 3));
      alarms += res.alarm() ? 1 : 0;
    }
    assertThat(alarms).isLessThan(30);
    EnsembleResult spike = ensemble.observe(point(t, r, 6));
    assertThat(spike.alarm()).isTrue();
    assertThat(spike.alarmingDetectors(3)).contains("seasonal_baseline");
    assertThat(spike.features()).first().isIn("p50_latency", "p95_latency", "p99_latency");
    assertThat(spike.contributions()).hasSize(2);
  }

  private static FeatureVector point(Instant t, Random r, double p50) {
    return new FeatureVector(
        t,
        new double[] {
          p50 + 0.05 * r.nextGaussian(),
          p50 + 1 + 0.05 * r.nextGaussian(),
          p50 + 1.5 + 0.05 * r.nextGaussian(),
          0.01 + 0.001 * r.nextGaussian(),
          4 + 0.05 * r.nextGaussian()
        });
  }
}
