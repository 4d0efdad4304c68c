package dev.vigil.benchmarks;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import dev.vigil.models.TrainingSet;
import dev.vigil.models.forecast.PredictiveAlerter;
import dev.vigil.models.forecast.PredictiveRule;
import dev.vigil.models.lstm.LstmIncrementConfig;
import dev.vigil.models.lstm.LstmIncrementForecaster;
import dev.vigil.models.lstm.LstmIncrementForecasterTrainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * The predictive alerts' cost per closed window: what {@code VigilPipeline} calls for every window
 * when {@code predictive.enabled} is set, {@link PredictiveAlerter#observe(WindowFeatures,
 * java.util.function.BiFunction)}, with an increment LSTM forecaster of the default shape (60
 * windows read, 30 ahead, 24 units) on every service's p95 latency, for 12 (the demo), 50 and 200
 * services.
 *
 * <p>The forecaster is trained as {@code vigil retrain} trains it ({@link
 * LstmIncrementForecasterTrainer}, default configuration) but for one epoch on a few synthetic
 * series: a forward pass costs the same whatever the weights' values, so the weights only need the
 * right shape. Three workloads per service count:
 *
 * <ul>
 *   <li>{@code flat}: every series is flat noise, the default rule: the Mann-Kendall test turns
 *       away almost every series before the forecast (the usual case);
 *   <li>{@code rising}: every series climbs, the default rule: every series passes the trend test
 *       and costs one forward pass (every service leaking at once: the worst case of the rule);
 *   <li>{@code every}: flat noise, trend test off ({@code trend-z 0}): one forward pass per series
 *       per window whatever the data.
 * </ul>
 *
 * <p>Plain main, not JMH: a window is observed in order (the alerter keeps histories), so the
 * harness times consecutive windows after a warm-up, as the pipeline thread does them.
 *
 * <pre>{@code
 * OMP_NUM_THREADS=1 java -cp ... dev.vigil.benchmarks.LstmInference [--services 12,50,200]
 *     [--windows 300] [--warmup 200] [--modes flat,rising,every]
 * }</pre>
 */
public final class LstmInference {
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final Instant START = Instant.parse("2024-05-01T00:00:00Z");

  private LstmInference() {}

  public static void main(String[] args) {
    List<Integer> counts = List.of(12, 50, 200);
    int windows = 300;
    int warmup = 200;
    List<String> modes = List.of("flat", "rising", "every");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--services" ->
            counts = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--windows" -> windows = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--modes" -> modes = List.of(args[++i].split(","));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    long t0 = System.nanoTime();
    LstmIncrementForecaster forecaster = train();
    System.out.printf(
        Locale.ROOT,
        "trained %s in %.1f s (1 epoch: inference cost does not depend on the weights' values)%n",
        forecaster,
        (System.nanoTime() - t0) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "%-8s %-7s %9s %12s %12s %12s %13s %10s%n",
        "services",
        "series",
        "forecasts",
        "ms/window",
        "p99 ms/win",
        "µs/series",
        "µs/forecast",
        "of 10 s");
    for (int services : counts) {
      for (String mode : modes) {
        run(forecaster, services, mode, warmup, windows);
      }
    }
  }

  private static LstmIncrementForecaster train() {
    Random random = new Random(1);
    int rows = 400;
    int series = 6;
    List<FeatureVector> data = new ArrayList<>();
    for (int t = 0; t < rows; t++) {
      double[] v = new double[series];
      for (int s = 0; s < series; s++) {
        v[s] = 50 * (s + 1) * (1 + 0.04 * random.nextGaussian());
      }
      data.add(new FeatureVector(START.plus(WINDOW.multipliedBy(t)), v));
    }
    String[] names = new String[series];
    Arrays.setAll(names, s -> "s" + s);
    LstmIncrementConfig config = LstmIncrementConfig.builder().epochs(1).build();
    return new LstmIncrementForecasterTrainer(config, Clock.systemUTC())
        .train(new TrainingSet(FeatureSchema.of(names), data));
  }

  private static void run(
      LstmIncrementForecaster forecaster, int services, String mode, int warmup, int windows) {
    PredictiveRule rule =
        mode.equals("every")
            ? new PredictiveRule(
                PredictiveRule.DEFAULT_MARGIN, 0, PredictiveRule.DEFAULT_CONFIRMATIONS)
            : PredictiveRule.DEFAULT;
    PredictiveAlerter alerter =
        new PredictiveAlerter(
            forecaster, PredictiveAlerter.DEFAULT_HORIZON, List.of(Feature.P95_LATENCY), rule);
    CountingForecaster counting = new CountingForecaster(forecaster);
    alerter.use(counting);
    Random random = new Random(services);
    // The level far above: the rule gets to the forecast whenever the trend test lets it.
    OptionalDouble level = OptionalDouble.of(1e9);
    long[] nanos = new long[windows];
    int total = warmup + windows;
    long forecastsBefore = 0;
    for (int w = 0; w < total; w++) {
      WindowFeatures window = window(services, w, mode, random);
      if (w == warmup) {
        forecastsBefore = counting.calls;
      }
      long a = System.nanoTime();
      alerter.observe(window, (service, feature) -> level);
      long b = System.nanoTime();
      if (w >= warmup) {
        nanos[w - warmup] = b - a;
      }
    }
    long forecasts = counting.calls - forecastsBefore;
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
    double p99 =
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] / 1e6;
    double perForecast = forecasts == 0 ? 0 : Arrays.stream(nanos).sum() / 1e3 / forecasts;
    System.out.printf(
        Locale.ROOT,
        "%-8d %-7s %9.1f %12.3f %12.3f %12.1f %13.1f %9.3f%%%n",
        services,
        mode,
        (double) forecasts / windows,
        mean,
        p99,
        mean * 1e3 / services,
        perForecast,
        100 * mean / WINDOW.toMillis());
  }

  /** One closed window of {@code services} services whose p95 latency is the watched series. */
  private static WindowFeatures window(int services, int w, String mode, Random random) {
    Map<String, ServiceFeatures> m = new LinkedHashMap<>();
    for (int s = 0; s < services; s++) {
      double base = 20 + 7 * s;
      double p95 = base * (1 + 0.04 * random.nextGaussian());
      if (mode.equals("rising")) {
        p95 += base * 0.01 * w;
      }
      String name = String.format(Locale.ROOT, "svc-%03d", s);
      m.put(
          name,
          new ServiceFeatures(
              name, 100, 0, 0, p95 / 2, p95, p95 * 1.2, p95 / 3, p95 / 2, List.of(), List.of()));
    }
    return new WindowFeatures(START.plus(WINDOW.multipliedBy(w)), WINDOW, m, List.of(), List.of());
  }

  /** Counts the forward passes. */
  private static final class CountingForecaster implements dev.vigil.models.forecast.Forecaster {
    private final dev.vigil.models.forecast.Forecaster inner;
    long calls;

    CountingForecaster(dev.vigil.models.forecast.Forecaster inner) {
      this.inner = inner;
    }

    @Override
    public double[] forecast(double[] history, int steps) {
      calls++;
      return inner.forecast(history, steps);
    }

    @Override
    public int sequenceLength() {
      return inner.sequenceLength();
    }

    @Override
    public int maxHorizon() {
      return inner.maxHorizon();
    }
  }
}
