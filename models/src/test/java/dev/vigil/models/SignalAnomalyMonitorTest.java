package dev.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.features.LogFeatures;
import dev.vigil.features.MetricSeriesFeatures;
import dev.vigil.features.ServiceSignals;
import dev.vigil.telemetry.Exemplar;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignalAnomalyMonitorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration W = Duration.ofSeconds(10);
  private static final String CPU = "metric:process.cpu.utilization:last";

  private final SignalAnomalyMonitor monitor =
      SignalAnomalyMonitor.withDefaultDetector(MonitorConfig.defaults());
  private final Random random = new Random(11);
  private int index;

  private List<Anomaly> step(double cpu, long infoLogs, long errorLogs) {
    MetricSeriesFeatures gauge =
        new MetricSeriesFeatures(
            "payment",
            "process.cpu.utilization",
            Map.of(),
            "1",
            MetricSeriesFeatures.Kind.GAUGE,
            1,
            Map.of("last", cpu),
            List.of(new Exemplar(0, cpu, "trace-" + index, "span-" + index)));
    long total = infoLogs + errorLogs;
    List<String> errorTraces = errorLogs > 0 ? List.of("error-trace-" + index) : List.of();
    LogFeatures logs =
        new LogFeatures(
            "payment",
            total,
            Map.of(),
            errorLogs,
            errorLogs / 10.0,
            total == 0 ? 0 : (double) errorLogs / total,
            errorTraces,
            List.of());
    ServiceSignals s = new ServiceSignals("payment", Map.of(gauge.seriesName(), gauge), logs);
    return monitor.observe(T0.plus(W.multipliedBy(index++)), W, Map.of("payment", s));
  }

  private void warmUp() {
    for (int i = 0; i < 300; i++) {
      assertThat(step(0.3 + 0.01 * random.nextGaussian(), 20 + random.nextInt(5), 0))
          .as("window %d", i)
          .isEmpty();
    }
  }

  @Test
  void aCpuJumpIsAnAnomalyWithTheSeriesAndItsExemplars() {
    warmUp();
    assertThat(step(0.95, 20, 0)).as("one window is a blip").isEmpty();
    List<Anomaly> out = step(0.95, 20, 0);
    assertThat(out)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.service()).isEqualTo("payment");
              assertThat(a.detectors()).containsExactly("bin_novelty");
              assertThat(a.drivers())
                  .singleElement()
                  .satisfies(
                      d -> {
                        assertThat(d.feature()).isEqualTo(CPU);
                        assertThat(d.baseline()).isBetween(0.28, 0.32);
                        assertThat(d.actual()).isEqualTo(0.95);
                        assertThat(d.zScore()).isGreaterThan(4);
                      });
              assertThat(a.exemplarTraceIds()).containsExactly("trace-301");
            });
  }

  @Test
  void errorLogsAreAnAnomalyOnlyWithEnoughOfThem() {
    warmUp();
    // A lasting fault whose windows hold two errors each: too few to count, and not learned
    // either, so the baseline still says "no errors" when a busier window comes.
    for (int i = 0; i < 80; i++) {
      assertThat(step(0.3, 20, 2)).as("two error logs, window %d", i).isEmpty();
    }
    List<Anomaly> out = step(0.3, 20, 12);
    assertThat(out)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.drivers())
                  .extracting(FeatureDeviation::feature)
                  .contains("log:error_rate")
                  .allMatch(f -> f.startsWith("log:error"));
              // From a baseline of zero to two errors a window, z is measured in error records
              // (10-12 here), not in billions.
              assertThat(a.drivers())
                  .filteredOn(d -> d.feature().equals("log:errors"))
                  .singleElement()
                  .satisfies(d -> assertThat(d.zScore()).isBetween(10.0, 12.0));
              assertThat(a.exemplarTraceIds()).containsExactly("error-trace-380");
            });
  }

  @Test
  void aOneWindowSpikeIsNotReported() {
    warmUp();
    assertThat(step(0.95, 20, 0)).isEmpty();
    for (int i = 0; i < 30; i++) {
      assertThat(step(0.3 + 0.01 * random.nextGaussian(), 20, 0)).as("window %d", i).isEmpty();
    }
  }

  @Test
  void ordinaryNoiseAndChattyLogsRaiseNothing() {
    warmUp();
    for (int i = 0; i < 100; i++) {
      assertThat(step(0.3 + 0.01 * random.nextGaussian(), 200 + random.nextInt(50), 0))
          .as("window %d", i)
          .isEmpty();
    }
    assertThat(monitor.watchedSeries()).isEqualTo(4); // the gauge and three log error features
  }

  private List<Anomaly> latency(double p50) {
    MetricSeriesFeatures h =
        new MetricSeriesFeatures(
            "shipping",
            "rpc.server.duration",
            Map.of("rpc.method", "GetQuote"),
            "ms",
            MetricSeriesFeatures.Kind.HISTOGRAM,
            1,
            Map.of("rate", 5.0, "p50", p50),
            List.of());
    ServiceSignals s =
        new ServiceSignals("shipping", Map.of(h.seriesName(), h), LogFeatures.none("shipping"));
    return monitor.observe(T0.plus(W.multipliedBy(index++)), W, Map.of("shipping", s));
  }

  @Test
  void requestsGettingFasterIsNotAnAnomalyButSlowerIs() {
    for (int i = 0; i < 300; i++) {
      assertThat(latency(7 + 0.1 * random.nextGaussian())).as("window %d", i).isEmpty();
    }
    for (int i = 0; i < 5; i++) {
      assertThat(latency(4)).as("faster, window %d", i).isEmpty();
    }
    for (int i = 0; i < 20; i++) {
      assertThat(latency(7 + 0.1 * random.nextGaussian())).isEmpty();
    }
    latency(20);
    assertThat(latency(20))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.grade()).isGreaterThan(0);
              assertThat(a.drivers())
                  .extracting(FeatureDeviation::feature)
                  .containsExactly("metric:rpc.server.duration{rpc.method=GetQuote}:p50");
            });
  }
}
