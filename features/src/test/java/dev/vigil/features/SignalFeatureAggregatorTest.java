package dev.vigil.features;

import static dev.vigil.features.Otlp.counter;
import static dev.vigil.features.Otlp.gauge;
import static dev.vigil.features.Otlp.histogram;
import static dev.vigil.features.Otlp.log;
import static dev.vigil.features.Otlp.metrics;
import static dev.vigil.features.Otlp.number;
import static dev.vigil.features.Otlp.sum;
import static dev.vigil.features.Otlp.summary;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.features.LogFeatures.MessageCount;
import dev.vigil.telemetry.EpochNanos;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metric and log features from OTLP built with the protobuf classes. */
class SignalFeatureAggregatorTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_700_000_000L * S; // a multiple of 10 s
  private static final long LONG_AGO = T0 - 3600 * S;
  private static final String RATE = "metric:requests:rate";
  private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";

  private SignalFeatureAggregator aggregator = new SignalFeatureAggregator(SignalConfig.defaults());

  private static Instant at(long epochNanos) {
    return EpochNanos.toInstant(epochNanos);
  }

  /** The values of the window starting {@code seconds} after T0 for service "cart". */
  private Map<String, Double> close(int seconds) {
    ServiceSignals s = aggregator.close(at(T0 + seconds * S)).get("cart");
    return s == null ? Map.of() : s.values();
  }

  @Test
  void counterResetsNeverGiveANegativeRate() {
    aggregator.acceptMetrics(metrics("cart", counter(number(LONG_AGO, T0 + 5 * S, 1000))));
    aggregator.acceptMetrics(metrics("cart", counter(number(LONG_AGO, T0 + 15 * S, 1100))));
    // Same start, lower value: a reset whose start is unknown, so no rate, only a new base.
    aggregator.acceptMetrics(metrics("cart", counter(number(LONG_AGO, T0 + 25 * S, 50))));
    aggregator.acceptMetrics(metrics("cart", counter(number(LONG_AGO, T0 + 35 * S, 150))));
    // A new start before the previous point: a reset that cannot be measured either.
    aggregator.acceptMetrics(metrics("cart", counter(number(T0 + 10 * S, T0 + 45 * S, 20))));
    // A new start after the previous point: a restart, counted from its start.
    aggregator.acceptMetrics(metrics("cart", counter(number(T0 + 50 * S, T0 + 55 * S, 30))));

    // The first point of a process started an hour ago is only a base: its lifetime average is
    // not this window's rate.
    assertThat(close(0)).isEmpty();
    assertThat(close(10)).containsEntry(RATE, 10.0);
    assertThat(close(20)).doesNotContainKey(RATE);
    assertThat(close(30)).containsEntry(RATE, 10.0);
    assertThat(close(40)).doesNotContainKey(RATE);
    assertThat(close(50)).containsEntry(RATE, 6.0);
    assertThat(aggregator.stats().counterResets()).isEqualTo(3);
  }

  @Test
  void summaryQuantilesPassThroughAndItsCountGivesTheRate() {
    aggregator.acceptMetrics(
        metrics("cart", summary(LONG_AGO, T0 + 5 * S, 100, 20, 0.5, 0.1, 0.75, 0.2, 0.99, 0.9)));
    aggregator.acceptMetrics(
        metrics("cart", summary(LONG_AGO, T0 + 15 * S, 300, 80, 0.5, 0.12, 0.95, 0.5, 0.99, 1.1)));
    assertThat(close(0))
        .containsOnlyKeys("metric:rpc.duration:p50", "metric:rpc.duration:p99")
        .containsEntry("metric:rpc.duration:p50", 0.1);
    assertThat(close(10))
        .containsEntry("metric:rpc.duration:rate", 20.0)
        .containsEntry("metric:rpc.duration:mean", 0.3)
        .containsEntry("metric:rpc.duration:p50", 0.12)
        .containsEntry("metric:rpc.duration:p95", 0.5)
        .containsEntry("metric:rpc.duration:p99", 1.1);
  }

  @Test
  void gaugesAndUpDownCountersAreLevelsOrNetChanges() {
    aggregator.acceptMetrics(
        metrics(
            "cart",
            gauge(
                "memory",
                "By",
                number(0, T0 + 2 * S, 5),
                number(0, T0 + 8 * S, 7),
                number(0, T0 + 4 * S, 9)),
            sum("queue", false, AGGREGATION_TEMPORALITY_CUMULATIVE, number(T0, T0 + 5 * S, 42)),
            sum(
                "inflight",
                false,
                AGGREGATION_TEMPORALITY_DELTA,
                number(T0, T0 + 4 * S, 5),
                number(T0 + 4 * S, T0 + 8 * S, -8))));
    ServiceSignals cart = aggregator.close(at(T0)).get("cart");
    assertThat(cart.values())
        .containsEntry("metric:memory:last", 7.0)
        .containsEntry("metric:memory:mean", 7.0)
        .containsEntry("metric:memory:max", 9.0)
        .containsEntry("metric:queue:last", 42.0)
        .containsEntry("metric:inflight:increase", -3.0)
        .containsEntry("metric:inflight:rate", -3 / 8.0)
        .doesNotContainKey("metric:queue:rate");
    assertThat(cart.units()).containsEntry("metric:memory:last", "By");
  }

  @Test
  void deltaHistogramsAddTheirBucketsAndAnEmptyWindowHasNoQuantiles() {
    List<Double> bounds = List.of(10.0, 20.0, 30.0);
    aggregator.acceptMetrics(
        metrics(
            "cart",
            histogram(
                "latency", AGGREGATION_TEMPORALITY_DELTA, bounds, T0, T0 + 5 * S, 0, 10, 0, 0),
            histogram("tail", AGGREGATION_TEMPORALITY_DELTA, bounds, T0, T0 + 5 * S, 0, 0, 0, 50)));
    aggregator.acceptMetrics(
        metrics(
            "cart",
            histogram(
                "latency",
                AGGREGATION_TEMPORALITY_DELTA,
                bounds,
                T0 + 5 * S,
                T0 + 10 * S - 1,
                0,
                0,
                10,
                0)));
    aggregator.acceptMetrics(
        metrics(
            "cart",
            histogram(
                "latency",
                AGGREGATION_TEMPORALITY_DELTA,
                bounds,
                T0 + 10 * S,
                T0 + 15 * S,
                0,
                0,
                0,
                0)));
    Map<String, Double> w1 = close(0);
    // 10 in (10, 20] and 10 in (20, 30]: the median is the top of the first.
    assertThat(w1.get("metric:latency:p50")).isCloseTo(20, within(1e-9));
    assertThat(w1.get("metric:latency:p95")).isCloseTo(29, within(1e-9));
    // Everything above the last bound: Prometheus returns the highest finite bound.
    assertThat(w1).containsEntry("metric:tail:p99", 30.0);
    assertThat(close(10))
        .containsEntry("metric:latency:rate", 0.0)
        .doesNotContainKeys("metric:latency:p50", "metric:latency:mean");
  }

  @Test
  void lateDuplicateAndOutOfOrderPointsAreCountedNotSilentlyDropped() {
    aggregator.acceptMetrics(metrics("cart", counter(number(T0, T0 + 5 * S, 10))));
    aggregator.acceptMetrics(metrics("cart", counter(number(T0, T0 + 5 * S, 10))));
    aggregator.acceptMetrics(metrics("cart", counter(number(T0, T0 + 12 * S, 30))));
    aggregator.acceptMetrics(metrics("cart", counter(number(T0, T0 + 11 * S, 20))));
    assertThat(close(0)).containsEntry(RATE, 2.0);
    aggregator.acceptMetrics(metrics("cart", gauge("memory", "By", number(0, T0 + 9 * S, 1))));
    aggregator.acceptLogs(Otlp.logs("cart", log(T0 + 9 * S, 17, "ERROR", "boom", "")));
    assertThat(close(10)).containsEntry(RATE, 20 / 7.0).doesNotContainKey("metric:memory:last");
    SignalStats stats = aggregator.stats();
    assertThat(stats.points()).isEqualTo(5);
    assertThat(stats.duplicatePoints()).isEqualTo(1);
    assertThat(stats.outOfOrderPoints()).isEqualTo(1);
    assertThat(stats.latePoints()).isEqualTo(1);
    assertThat(stats.lateLogs()).isEqualTo(1);
    assertThat(stats.windows()).isEqualTo(2);
  }

  @Test
  void pointsFromTheFutureWaitForTheirWindowAndSkippedWindowsCountAsLate() {
    aggregator.acceptMetrics(metrics("cart", gauge("memory", "By", number(0, T0 + 3 * S, 1))));
    aggregator.acceptMetrics(metrics("cart", gauge("memory", "By", number(0, T0 + 3600 * S, 2))));
    assertThat(aggregator.stats().openWindows()).isEqualTo(2);
    assertThat(aggregator.close(at(T0 + 3590 * S))).isEmpty();
    assertThat(aggregator.stats().latePoints()).isEqualTo(1);
    assertThat(close(3600)).containsEntry("metric:memory:last", 2.0);
  }

  @Test
  void resumingReplaysEarlierPointsAsBasesOnly() {
    aggregator.resumeFrom(at(T0 + 10 * S));
    aggregator.acceptMetrics(metrics("cart", counter(number(LONG_AGO, T0 + 5 * S, 100))));
    aggregator.acceptMetrics(metrics("cart", counter(number(LONG_AGO, T0 + 15 * S, 150))));
    assertThat(close(10)).containsEntry(RATE, 5.0);
    assertThat(aggregator.stats().replayedPoints()).isEqualTo(1);
  }

  @Test
  void memoryIsBoundedAndWhatDoesNotFitIsCounted() {
    aggregator =
        new SignalFeatureAggregator(SignalConfig.defaults().withMaxSeries(2).withMaxOpenWindows(1));
    aggregator.acceptMetrics(
        metrics(
            "cart",
            gauge("a", "1", number(0, T0 + S, 1)),
            gauge("b", "1", number(0, T0 + S, 1)),
            gauge("c", "1", number(0, T0 + S, 1)),
            gauge("a", "1", number(0, T0 + 15 * S, 1))));
    aggregator.acceptLogs(Otlp.logs("cart", log(T0 + S, 9, "INFO", "hello", "")));
    SignalStats stats = aggregator.stats();
    assertThat(stats.series()).isEqualTo(2);
    assertThat(stats.evictedSeries()).isEqualTo(2);
    assertThat(stats.refusedPoints()).isEqualTo(2); // c: window full; a at 15 s: too many windows
    assertThat(stats.refusedLogs()).isEqualTo(1);
    assertThat(close(0))
        .containsOnlyKeys(
            "metric:a:last",
            "metric:a:mean",
            "metric:a:max",
            "metric:b:last",
            "metric:b:mean",
            "metric:b:max");
  }

  @Test
  void aNameReportedAsTwoTypesInOneWindowKeepsTheFirst() {
    aggregator.acceptMetrics(metrics("cart", gauge("requests", "1", number(0, T0 + S, 1))));
    aggregator.acceptMetrics(metrics("cart", counter(number(T0, T0 + 2 * S, 10))));
    assertThat(close(0))
        .containsOnlyKeys("metric:requests:last", "metric:requests:mean", "metric:requests:max");
    assertThat(aggregator.stats().conflictingPoints()).isEqualTo(1);
  }

  @Test
  void logsAreCountedBySeverityWithErrorRateExamplesAndTopMessages() {
    aggregator.acceptLogs(
        Otlp.logs(
            "cart",
            log(T0 + S, 9, "INFO", "GET /cart 200 in 12 ms", ""),
            log(T0 + S, 13, "WARN", "slow query", ""),
            log(T0 + 2 * S, 17, "ERROR", "order 1234 failed: id 7f3a9c2e11b0", TRACE_A),
            log(T0 + 3 * S, 18, "ERROR2", "order 98 failed: id deadbeef0042", TRACE_B),
            log(T0 + 3 * S, 21, "FATAL", "out of memory\n at Foo.bar(Foo.java:12)", TRACE_A),
            log(T0 + 4 * S, 0, "error", "cache 6f1d4b8e-3c2a-4f0e-9b7d-2a5c8e1f0d3b missing", ""),
            log(T0 + 4 * S, 0, "", "no severity", "")));
    LogFeatures logs = aggregator.close(at(T0)).get("cart").logs();
    assertThat(logs.total()).isEqualTo(7);
    assertThat(logs.bySeverity())
        .containsEntry(SeverityClass.INFO, 1L)
        .containsEntry(SeverityClass.WARN, 1L)
        .containsEntry(SeverityClass.ERROR, 3L)
        .containsEntry(SeverityClass.FATAL, 1L)
        .containsEntry(SeverityClass.UNSPECIFIED, 1L)
        .containsEntry(SeverityClass.DEBUG, 0L);
    assertThat(logs.errors()).isEqualTo(4);
    assertThat(logs.errorsPerSecond()).isEqualTo(0.4);
    assertThat(logs.errorShare()).isEqualTo(4 / 7.0);
    assertThat(logs.errorTraceIds()).containsExactly(TRACE_A, TRACE_B);
    assertThat(logs.topErrorMessages())
        .containsExactly(
            new MessageCount("order <n> failed: id <hex>", 2),
            new MessageCount("cache <uuid> missing", 1),
            new MessageCount("out of memory", 1));
    assertThat(logs.values())
        .containsEntry("log:error_rate", 0.4)
        .containsEntry("log:count{severity=fatal}", 1.0)
        .hasSize(11);
  }

  @Test
  void windowFeaturesCarryTheSignalsWithoutBreakingSpanOnlyCallers() {
    WindowFeatures spans =
        new WindowFeatures(at(T0), Duration.ofSeconds(10), Map.of(), List.of(), List.of());
    assertThat(spans.signals()).isEmpty();
    aggregator.acceptMetrics(metrics("cart", gauge("memory", "By", number(0, T0 + S, 1))));
    WindowFeatures both = spans.withSignals(aggregator.close(spans.start()));
    assertThat(both.signals()).containsOnlyKeys("cart");
    assertThat(both.start()).isEqualTo(spans.start());
  }
}
