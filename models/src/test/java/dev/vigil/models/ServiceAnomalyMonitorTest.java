package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServiceAnomalyMonitorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration W = Duration.ofSeconds(10);

  private static WindowFeatures window(int i, long requests, double p50, double p95) {
    ServiceFeatures f =
        new ServiceFeatures(
            "shipping", requests, 0, 0, p50, p95, p95 * 1.2, p50, p95, List.of(), List.of());
    return new WindowFeatures(
        T0.plus(W.multipliedBy(i)), W, Map.of("shipping", f), List.of(), List.of());
  }

  /** 80 normal windows, then two with the given latencies; the anomalies of those two. */
  private static List<Anomaly> afterWarmUp(long requests, double p50, double p95) {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    Random random = new Random(1);
    int i = 0;
    for (; i < 80; i++) {
      List<Anomaly> warmUp =
          monitor.observe(
              window(i, requests, 5 + random.nextGaussian() * 0.3, 10 + random.nextGaussian()));
      assertThat(warmUp).as("window %d", i).isEmpty();
    }
    List<Anomaly> out = new ArrayList<>(monitor.observe(window(i++, requests, p50, p95)));
    out.addAll(monitor.observe(window(i, requests, p50, p95)));
    return out;
  }

  @Test
  void aTailQuantileJumpOnAQuietServiceIsOneOrTwoRequestsAndNotAnAnomaly() {
    // 36 requests: a p95 of 30 ms is the two slowest requests; 80: four of them.
    assertThat(afterWarmUp(36, 5, 30)).isEmpty();
    assertThat(afterWarmUp(80, 5, 30)).isEmpty();
  }

  @Test
  void theSameTailJumpOnABusyServiceIsAnAnomaly() {
    assertThat(afterWarmUp(400, 5, 30))
        .isNotEmpty()
        .allSatisfy(
            a ->
                assertThat(a.drivers())
                    .extracting(FeatureDeviation::feature)
                    .contains("p95_latency"));
  }

  @Test
  void aMedianJumpOnAQuietServiceIsAnAnomaly() {
    assertThat(afterWarmUp(36, 200, 260))
        .isNotEmpty()
        .allSatisfy(
            a ->
                assertThat(a.drivers())
                    .extracting(FeatureDeviation::feature)
                    .contains("p50_latency"));
  }

  @Test
  void aLastingFaultStaysAnomalousThroughItsLowTrafficWindows() {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    Random random = new Random(3);
    int i = 0;
    for (; i < 80; i++) {
      monitor.observe(window(i, 36, 5 + random.nextGaussian() * 0.3, 10 + random.nextGaussian()));
    }
    // Every other window of the fault has 8 requests, too few for its median to count.
    int busy = 0;
    int flagged = 0;
    for (int k = 0; k < 100; k++, i++) {
      long requests = k % 2 == 0 ? 8 : 36;
      List<Anomaly> anomalies =
          monitor.observe(window(i, requests, 200 + random.nextGaussian() * 5, 260));
      if (requests == 36) {
        busy++;
        flagged += anomalies.isEmpty() ? 0 : 1;
      }
    }
    assertThat(flagged).isEqualTo(busy);
  }

  @Test
  void deviatingWindowsThatAreNotFlaggedDoNotTeachTheBaseline() {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    Random random = new Random(5);
    int i = 0;
    for (; i < 80; i++) {
      monitor.observe(window(i, 36, 5 + random.nextGaussian() * 0.3, 10 + random.nextGaussian()));
    }
    // 50 windows whose p95 is up but made by too few requests to count: not flagged, not learned.
    for (int k = 0; k < 50; k++, i++) {
      assertThat(monitor.observe(window(i, 36, 5 + random.nextGaussian() * 0.3, 30))).isEmpty();
    }
    // So the same p95 on a busy window is still a change against the old baseline.
    assertThat(monitor.observe(window(i, 400, 5, 30))).isNotEmpty();
  }

  /** Windows of a p95 that rises from 5 ms by {@code rise} ms over 180 windows (30 minutes). */
  private static int firstFlaggedOfARamp(double rise) {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    Random random = new Random(11);
    int i = 0;
    for (; i < 120; i++) {
      assertThat(
              monitor.observe(window(i, 400, 3 + random.nextGaussian() * 0.2, 5 + noise(random))))
          .as("window %d", i)
          .isEmpty();
    }
    for (int k = 0; k < 240; k++, i++) {
      double p95 = 5 + rise * Math.min(1, k / 180.0) + noise(random);
      if (!monitor.observe(window(i, 400, 3 + random.nextGaussian() * 0.2, p95)).isEmpty()) {
        return k;
      }
    }
    return -1;
  }

  private static double noise(Random random) {
    return random.nextGaussian() * 0.5;
  }

  @Test
  void aSlowBurnThatTheBaselineWouldFollowIsFlaggedOnceItIsLargeEnough() {
    // 5 -> 17 ms over 30 minutes: each window is a fraction of the noise above the last, so a
    // baseline that learnt every unflagged window would trail it below the z threshold for good.
    int flagged = firstFlaggedOfARamp(12);
    assertThat(flagged).isPositive();
    // Flagged about when the rise reaches the 5 ms floor (75 windows in, less with the noise),
    // well before the ramp's end.
    assertThat(flagged).isBetween(50, 150);
    // A flat series of the same noise is never flagged.
    assertThat(firstFlaggedOfARamp(0)).isEqualTo(-1);
  }

  @Test
  void aWindowWithTooFewErrorsToFlagIsUnsettledNotNormal() {
    ServiceAnomalyMonitor monitor = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    Random random = new Random(7);
    int i = 0;
    for (; i < 80; i++) {
      assertThat(monitor.assess(errorWindow(i, 15, 0, random)).unsettled()).isEmpty();
    }
    // An error fault in a quiet service: 2 of 15 requests fail, too few errors to count.
    WindowAssessment thin = monitor.assess(errorWindow(i++, 15, 2, random));
    assertThat(thin.anomalies()).isEmpty();
    assertThat(thin.unsettled()).containsExactly("email");
    // 5 of 15 fail: flagged, and so not unsettled.
    WindowAssessment flagged = monitor.assess(errorWindow(i++, 15, 5, random));
    assertThat(flagged.anomalies()).extracting(Anomaly::service).containsExactly("email");
    assertThat(flagged.unsettled()).isEmpty();
    // No errors: normal again.
    assertThat(monitor.assess(errorWindow(i, 15, 0, random)))
        .isEqualTo(new WindowAssessment(List.of(), java.util.Set.of()));
  }

  private static WindowFeatures errorWindow(int i, long requests, long errors, Random random) {
    double p50 = 5 + random.nextGaussian() * 0.3;
    ServiceFeatures f =
        new ServiceFeatures(
            "email", requests, errors, errors, p50, 10, 12, p50, 10, List.of(), List.of());
    return new WindowFeatures(
        T0.plus(W.multipliedBy(i)), W, Map.of("email", f), List.of(), List.of());
  }
}
