package dev.vigil.models;

import dev.vigil.features.LogFeatures;
import dev.vigil.features.MetricSeriesFeatures;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.ServiceSignals;
import dev.vigil.features.WindowFeatures;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded ten-second windows of three services for the state tests: {@code checkout} (busy), {@code
 * shipping} and {@code email} (quiet), with span features and, for the signal monitor, a CPU gauge,
 * a request-duration histogram, a counter and logs per service. During a fault {@code shipping} is
 * eight times slower, fails a fifth of its requests and logs errors, and its CPU and duration
 * metrics jump.
 */
final class SyntheticWindows {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration W = Duration.ofSeconds(10);
  static final String FAULTY = "shipping";
  private static final Map<String, double[]> PROFILES = profiles();

  private final Random random;

  SyntheticWindows(long seed) {
    this.random = new Random(seed);
  }

  private static Map<String, double[]> profiles() {
    // requests per window, p50 latency (ms), cpu
    Map<String, double[]> p = new LinkedHashMap<>();
    p.put("checkout", new double[] {400, 20, 0.5});
    p.put("email", new double[] {36, 4, 0.1});
    p.put(FAULTY, new double[] {120, 8, 0.3});
    return p;
  }

  static Instant start(int index) {
    return T0.plus(W.multipliedBy(index));
  }

  /** The span features of window {@code index}, with {@code shipping} faulty if asked. */
  WindowFeatures spans(int index, boolean fault) {
    Map<String, ServiceFeatures> services = new LinkedHashMap<>();
    PROFILES.forEach(
        (service, p) -> {
          boolean faulty = fault && service.equals(FAULTY);
          long requests = (long) p[0] + random.nextInt(10);
          double slow = faulty ? 8 : 1;
          double p50 = p[1] * (1 + 0.05 * random.nextGaussian()) * slow;
          double p95 = 2 * p[1] * (1 + 0.08 * random.nextGaussian()) * slow;
          long errors = faulty ? requests / 5 : random.nextInt(2);
          services.put(
              service,
              new ServiceFeatures(
                  service,
                  requests,
                  errors,
                  errors,
                  p50,
                  p95,
                  p95 * 1.3,
                  p50 * 0.8,
                  p95 * 0.8,
                  List.of(),
                  faulty ? List.of("trace-" + index) : List.of()));
        });
    return new WindowFeatures(start(index), W, services, List.of(), List.of());
  }

  /** The metric and log features of window {@code index}, with {@code shipping} faulty if asked. */
  Map<String, ServiceSignals> signals(int index, boolean fault) {
    Map<String, ServiceSignals> out = new LinkedHashMap<>();
    PROFILES.forEach(
        (service, p) -> {
          boolean faulty = fault && service.equals(FAULTY);
          double cpu = faulty ? 0.95 : p[2] + 0.01 * random.nextGaussian();
          double rate = p[0] / 10 * (1 + 0.05 * random.nextGaussian());
          double mean = (faulty ? 8 : 1) * p[1] * (1 + 0.05 * random.nextGaussian());
          MetricSeriesFeatures gauge =
              metric(service, "process.cpu.utilization", "1", Map.of("last", cpu));
          MetricSeriesFeatures histogram =
              new MetricSeriesFeatures(
                  service,
                  "http.server.request.duration",
                  Map.of(),
                  "ms",
                  MetricSeriesFeatures.Kind.HISTOGRAM,
                  1,
                  Map.of("rate", rate, "mean", mean, "p50", mean * 0.9, "p95", mean * 2),
                  List.of());
          double increase = 1000 + random.nextInt(50);
          MetricSeriesFeatures counter =
              new MetricSeriesFeatures(
                  service,
                  "bytes.sent",
                  Map.of(),
                  "By",
                  MetricSeriesFeatures.Kind.COUNTER,
                  1,
                  Map.of("increase", increase, "rate", increase / 10),
                  List.of());
          long errors = faulty ? 30 : 0;
          long total = 20 + random.nextInt(5) + errors;
          LogFeatures logs =
              new LogFeatures(
                  service,
                  total,
                  Map.of(),
                  errors,
                  errors / 10.0,
                  (double) errors / total,
                  faulty ? List.of("error-trace-" + index) : List.of(),
                  List.of());
          Map<String, MetricSeriesFeatures> metrics = new LinkedHashMap<>();
          for (MetricSeriesFeatures m : List.of(gauge, histogram, counter)) {
            metrics.put(m.seriesName(), m);
          }
          out.put(service, new ServiceSignals(service, metrics, logs));
        });
    return out;
  }

  private static MetricSeriesFeatures metric(
      String service, String name, String unit, Map<String, Double> values) {
    return new MetricSeriesFeatures(
        service, name, Map.of(), unit, MetricSeriesFeatures.Kind.GAUGE, 1, values, List.of());
  }
}
