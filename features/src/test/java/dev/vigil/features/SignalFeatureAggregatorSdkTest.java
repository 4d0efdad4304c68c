package dev.vigil.features;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.MetricPoint;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExplicitBucketHistogramOptions;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Metric features from real OTLP made by the OpenTelemetry SDK and decoded by Vigil. */
class SignalFeatureAggregatorSdkTest {
  static final long S = 1_000_000_000L;
  static final long T0 = 1_700_000_000L * S; // a multiple of 10 s
  private static final Attributes CART = Attributes.of(stringKey("http.route"), "/cart");
  private static final String REQUESTS = "metric:http.requests{http.route=/cart}:";
  private static final String DURATION = "metric:http.server.request.duration:";

  private final SignalFeatureAggregator aggregator =
      new SignalFeatureAggregator(SignalConfig.defaults());

  static Instant at(long epochNanos) {
    return EpochNanos.toInstant(epochNanos);
  }

  private static Aggregation explicitBuckets(List<Double> bounds) {
    return Aggregation.explicitBucketHistogram(
        ExplicitBucketHistogramOptions.builder().setBucketBoundaries(bounds).build());
  }

  private Map<String, Double> close(long windowStart, String service) {
    return aggregator.close(at(windowStart)).get(service).values();
  }

  @Test
  void cumulativeCounterRateIsExactOverKnownIncrements() throws Exception {
    try (SdkMetrics sdk =
        new SdkMetrics("cart", T0, SdkMetrics.cumulative(), Aggregation.defaultAggregation())) {
      LongCounter requests =
          sdk.meter().counterBuilder("http.requests").setUnit("{request}").build();
      sdk.at(T0 + S);
      IntStream.range(0, 100).forEach(i -> requests.add(1, CART));
      sdk.at(T0 + 5 * S);
      List<MetricPoint> first = sdk.collect();
      // The SDK starts a cumulative series at its first measurement.
      assertThat(first)
          .singleElement()
          .satisfies(p -> assertThat(p.startEpochNanos()).isEqualTo(T0 + S));
      aggregator.acceptMetrics(first);
      sdk.at(T0 + 12 * S);
      IntStream.range(0, 100).forEach(i -> requests.add(3, CART));
      sdk.at(T0 + 15 * S);
      aggregator.acceptMetrics(sdk.collect());

      // The first point of a fresh series: 100 over the 4 s since its start.
      ServiceSignals w1 = aggregator.close(at(T0)).get("cart");
      assertThat(w1.values()).containsEntry(REQUESTS + "rate", 25.0);
      assertThat(w1.units()).containsEntry(REQUESTS + "rate", "{request}/s");
      // Then 300 over the 10 s since the previous point, which lies in the previous window.
      assertThat(close(T0 + 10 * S, "cart"))
          .containsEntry(REQUESTS + "rate", 30.0)
          .containsEntry(REQUESTS + "increase", 300.0);
      assertThat(aggregator.stats().counterResets()).isZero();
    }
  }

  @Test
  void restartedCounterGivesTheRateSinceItsNewStartNotANegativeOne() throws Exception {
    try (SdkMetrics before =
        new SdkMetrics("cart", T0, SdkMetrics.cumulative(), Aggregation.defaultAggregation())) {
      LongCounter requests = before.meter().counterBuilder("http.requests").build();
      before.at(T0 + S);
      requests.add(100, CART);
      before.at(T0 + 5 * S);
      aggregator.acceptMetrics(before.collect());
      requests.add(300, CART);
      before.at(T0 + 15 * S);
      aggregator.acceptMetrics(before.collect());
    }
    assertThat(close(T0, "cart")).containsEntry(REQUESTS + "rate", 25.0);
    assertThat(close(T0 + 10 * S, "cart")).containsEntry(REQUESTS + "rate", 30.0);

    try (SdkMetrics after =
        new SdkMetrics(
            "cart", T0 + 17 * S, SdkMetrics.cumulative(), Aggregation.defaultAggregation())) {
      LongCounter requests = after.meter().counterBuilder("http.requests").build();
      requests.add(50, CART);
      after.at(T0 + 25 * S);
      aggregator.acceptMetrics(after.collect()); // 50 < 400 and a new start: a reset
      requests.add(100, CART);
      after.at(T0 + 35 * S);
      aggregator.acceptMetrics(after.collect());
    }
    assertThat(close(T0 + 20 * S, "cart")).containsEntry(REQUESTS + "rate", 50 / 8.0);
    assertThat(close(T0 + 30 * S, "cart")).containsEntry(REQUESTS + "rate", 10.0);
    assertThat(aggregator.stats().counterResets()).isEqualTo(1);
  }

  @Test
  void deltaCountersAddUpOverTheirIntervals() throws Exception {
    try (SdkMetrics sdk =
        new SdkMetrics("cart", T0, SdkMetrics.delta(), Aggregation.defaultAggregation())) {
      LongCounter requests = sdk.meter().counterBuilder("http.requests").build();
      sdk.at(T0 + S);
      requests.add(50, CART);
      sdk.at(T0 + 4 * S);
      List<MetricPoint> first = sdk.collect();
      assertThat(first)
          .singleElement()
          .isInstanceOfSatisfying(
              MetricPoint.Sum.class,
              s -> assertThat(s.temporality()).isEqualTo(MetricPoint.Temporality.DELTA));
      aggregator.acceptMetrics(first);
      requests.add(70, CART);
      sdk.at(T0 + 8 * S);
      aggregator.acceptMetrics(sdk.collect());
    }
    // 120 over the two intervals (T0, T0+4] and (T0+4, T0+8].
    assertThat(close(T0, "cart"))
        .containsEntry(REQUESTS + "increase", 120.0)
        .containsEntry(REQUESTS + "rate", 15.0);
  }

  @Test
  void cumulativeHistogramQuantilesComeFromTheWindowsObservationsOnly() throws Exception {
    List<Double> bounds = IntStream.rangeClosed(0, 300).mapToObj(i -> i * 10.0).toList();
    try (SdkMetrics sdk =
        new SdkMetrics("cart", T0, SdkMetrics.cumulative(), explicitBuckets(bounds))) {
      DoubleHistogram duration =
          sdk.meter().histogramBuilder("http.server.request.duration").setUnit("ms").build();
      sdk.at(T0 + S);
      for (int v = 1; v <= 1000; v++) {
        duration.record(v);
      }
      sdk.at(T0 + 5 * S);
      aggregator.acceptMetrics(sdk.collect());
      sdk.at(T0 + 12 * S);
      for (int v = 1001; v <= 3000; v++) {
        duration.record(v);
      }
      sdk.at(T0 + 15 * S);
      aggregator.acceptMetrics(sdk.collect());
    }
    assertThat(close(T0, "cart"))
        .hasEntrySatisfying(DURATION + "p50", v -> assertThat(v).isCloseTo(500, within(10.0)))
        .hasEntrySatisfying(DURATION + "p99", v -> assertThat(v).isCloseTo(990, within(10.0)));
    ServiceSignals w2 = aggregator.close(at(T0 + 10 * S)).get("cart");
    assertThat(w2.values())
        .containsEntry(DURATION + "rate", 200.0)
        .containsEntry(DURATION + "mean", 2000.5)
        .hasEntrySatisfying(DURATION + "p50", v -> assertThat(v).isCloseTo(2000, within(10.0)))
        .hasEntrySatisfying(DURATION + "p95", v -> assertThat(v).isCloseTo(2900, within(10.0)))
        .hasEntrySatisfying(DURATION + "p99", v -> assertThat(v).isCloseTo(2980, within(10.0)));
    assertThat(w2.units())
        .containsEntry(DURATION + "p95", "ms")
        .containsEntry(DURATION + "rate", "1/s");
  }

  @Test
  void exponentialHistogramQuantilesAreWithinTheRelativeErrorOfTheirScale() throws Exception {
    Random random = new Random(7);
    double[] narrow = lognormal(random, 1000, Math.log(0.005), 0.2);
    double[] wide = lognormal(random, 1000, Math.log(0.2), 2.0);
    int[] scales = new int[2];
    try (SdkMetrics sdk =
        new SdkMetrics(
            "cart", T0, SdkMetrics.cumulative(), Aggregation.base2ExponentialBucketHistogram())) {
      DoubleHistogram duration =
          sdk.meter().histogramBuilder("http.server.request.duration").setUnit("s").build();
      sdk.at(T0 + S);
      Arrays.stream(narrow).forEach(duration::record);
      sdk.at(T0 + 5 * S);
      List<MetricPoint> first = sdk.collect();
      scales[0] = ((MetricPoint.ExponentialHistogram) first.get(0)).scale();
      aggregator.acceptMetrics(first);
      sdk.at(T0 + 12 * S);
      Arrays.stream(wide).forEach(duration::record);
      sdk.at(T0 + 15 * S);
      List<MetricPoint> second = sdk.collect();
      scales[1] = ((MetricPoint.ExponentialHistogram) second.get(0)).scale();
      aggregator.acceptMetrics(second);
    }
    // The wide range forces the cumulative histogram to a smaller scale: the difference of the
    // two points is taken at that scale.
    assertThat(scales[1]).isLessThan(scales[0]);
    assertQuantiles(close(T0, "cart"), narrow, scales[0]);
    assertQuantiles(close(T0 + 10 * S, "cart"), wide, scales[1]);
  }

  @Test
  void deltaExponentialHistogramsOfDifferentScalesMergeInAWindow() throws Exception {
    Random random = new Random(11);
    double[] narrow = lognormal(random, 500, Math.log(0.005), 0.2);
    double[] wide = lognormal(random, 500, Math.log(0.2), 2.0);
    int scale;
    try (SdkMetrics sdk =
        new SdkMetrics(
            "cart", T0, SdkMetrics.delta(), Aggregation.base2ExponentialBucketHistogram())) {
      DoubleHistogram duration =
          sdk.meter().histogramBuilder("http.server.request.duration").setUnit("s").build();
      sdk.at(T0 + S);
      Arrays.stream(narrow).forEach(duration::record);
      sdk.at(T0 + 4 * S);
      aggregator.acceptMetrics(sdk.collect());
      Arrays.stream(wide).forEach(duration::record);
      sdk.at(T0 + 8 * S);
      List<MetricPoint> second = sdk.collect();
      scale = ((MetricPoint.ExponentialHistogram) second.get(0)).scale();
      aggregator.acceptMetrics(second);
    }
    double[] all = new double[narrow.length + wide.length];
    System.arraycopy(narrow, 0, all, 0, narrow.length);
    System.arraycopy(wide, 0, all, narrow.length, wide.length);
    Map<String, Double> values = close(T0, "cart");
    assertQuantiles(values, all, scale);
    assertThat(values.get(DURATION + "rate")).isEqualTo(1000 / 8.0);
  }

  private static double[] lognormal(Random random, int n, double mu, double sigma) {
    return IntStream.range(0, n)
        .mapToDouble(i -> Math.exp(mu + sigma * random.nextGaussian()))
        .toArray();
  }

  /** Each quantile within a factor of the base of the true order statistic of its rank. */
  private static void assertQuantiles(Map<String, Double> values, double[] data, int scale) {
    double base = Math.pow(2, Math.pow(2, -scale));
    double[] sorted = data.clone();
    Arrays.sort(sorted);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double truth = sorted[(int) Math.ceil(q * sorted.length) - 1];
      String name = DURATION + "p" + Math.round(q * 100);
      assertThat(values.get(name) / truth)
          .as("%s at scale %d", name, scale)
          .isBetween(1 / base, base);
    }
  }

  @Test
  void histogramExemplarsPointAtTheSlowestTraces() throws Exception {
    List<String> traceIds = new ArrayList<>();
    // Without a span processor the SDK makes spans invalid, and records no exemplar for them.
    SpanProcessor keepNothing =
        new SpanProcessor() {
          @Override
          public void onStart(Context parent, ReadWriteSpan span) {}

          @Override
          public boolean isStartRequired() {
            return false;
          }

          @Override
          public void onEnd(ReadableSpan span) {}

          @Override
          public boolean isEndRequired() {
            return false;
          }
        };
    try (SdkTracerProvider tracing =
            SdkTracerProvider.builder().addSpanProcessor(keepNothing).build();
        SdkMetrics sdk =
            new SdkMetrics(
                "cart",
                T0,
                SdkMetrics.cumulative(),
                explicitBuckets(List.of(100.0, 1000.0, 5000.0)))) {
      Tracer tracer = tracing.get("vigil-test");
      DoubleHistogram duration =
          sdk.meter().histogramBuilder("http.server.request.duration").setUnit("ms").build();
      sdk.at(T0 + S);
      for (double v : new double[] {50, 2500, 700}) {
        Span span = tracer.spanBuilder("GET /cart").startSpan();
        Scope scope = span.makeCurrent();
        try {
          duration.record(v);
        } finally {
          scope.close();
          span.end();
        }
        traceIds.add(span.getSpanContext().getTraceId());
      }
      duration.record(10); // outside any span: no exemplar with a trace
      sdk.at(T0 + 5 * S);
      aggregator.acceptMetrics(sdk.collect());
    }
    MetricSeriesFeatures series =
        aggregator.close(at(T0)).get("cart").metrics().get("http.server.request.duration");
    assertThat(series.exemplarTraceIds())
        .containsExactly(traceIds.get(1), traceIds.get(2), traceIds.get(0));
    assertThat(series.exemplars().get(0).value()).isEqualTo(2500);
  }
}
