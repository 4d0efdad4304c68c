package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanFeatureAggregatorTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_000_000L * MS; // a multiple of 10 s

  /**
   * frontend SERVER [0,100] -> CLIENT [10,90] -> catalog SERVER [12,88] -> CLIENT to db [20,70]
   * with peer.service=catalog-db (uninstrumented).
   */
  static List<SpanRecord> trace(String traceId, long offsetMs, boolean dbError) {
    long t = T0 + offsetMs * MS;
    return List.of(
        span(
            traceId,
            "0000000000000001",
            "",
            "frontend",
            "GET /",
            SpanKind.SERVER,
            t,
            t + 100 * MS,
            false,
            Map.of()),
        span(
            traceId,
            "0000000000000002",
            "0000000000000001",
            "frontend",
            "GET catalog",
            SpanKind.CLIENT,
            t + 10 * MS,
            t + 90 * MS,
            dbError,
            Map.of()),
        span(
            traceId,
            "0000000000000003",
            "0000000000000002",
            "catalog",
            "GET /products",
            SpanKind.SERVER,
            t + 12 * MS,
            t + 88 * MS,
            dbError,
            Map.of()),
        span(
            traceId,
            "0000000000000004",
            "0000000000000003",
            "catalog",
            "SELECT",
            SpanKind.CLIENT,
            t + 20 * MS,
            t + 70 * MS,
            dbError,
            Map.of("peer.service", "catalog-db")));
  }

  static SpanRecord span(
      String traceId,
      String id,
      String parent,
      String service,
      String name,
      SpanKind kind,
      long start,
      long end,
      boolean error,
      Map<String, Object> attrs) {
    return new SpanRecord(
        traceId,
        id,
        parent,
        Resource.ofService(service),
        name,
        kind,
        start,
        end,
        error ? StatusCode.ERROR : StatusCode.UNSET,
        attrs);
  }

  private static SpanFeatureAggregator aggregator() {
    return new SpanFeatureAggregator(
        new FeatureConfig(
            Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 1000));
  }

  @Test
  void computesSelfTimeEdgesAndVirtualDatabase() {
    SpanFeatureAggregator agg = aggregator();
    List<SpanRecord> spans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      spans.addAll(trace(String.format("%032x", i + 1), i * 100, i < 5));
    }
    assertThat(agg.accept(spans)).isEmpty(); // watermark has not passed the window yet
    List<WindowFeatures> windows = agg.flush();
    assertThat(windows).hasSize(1);
    WindowFeatures w = windows.get(0);
    assertThat(w.services()).containsOnlyKeys("frontend", "catalog", "catalog-db");
    ServiceFeatures frontend = w.services().get("frontend");
    assertThat(frontend.requests()).isEqualTo(20);
    assertThat(frontend.p50Millis()).isCloseTo(100, within(2.0));
    assertThat(frontend.selfP50Millis()).isCloseTo(20, within(1.0)); // 100 - 80 in the client call
    ServiceFeatures catalog = w.services().get("catalog");
    assertThat(catalog.selfP50Millis()).isCloseTo(26, within(1.0)); // 76 - 50 in the db call
    assertThat(catalog.errors()).isEqualTo(5);
    assertThat(catalog.selfErrors()).isZero(); // its errors came from the database
    ServiceFeatures db = w.services().get("catalog-db");
    assertThat(db.requests()).isEqualTo(20);
    assertThat(db.selfErrors()).isEqualTo(5);
    assertThat(w.edges())
        .extracting(EdgeFeatures::caller, EdgeFeatures::callee)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("catalog", "catalog-db"),
            org.assertj.core.groups.Tuple.tuple("frontend", "catalog"));
    assertThat(frontend.slowTraceIds()).hasSize(3);
    assertThat(catalog.errorTraceIds()).hasSize(3);
  }

  @Test
  void closesWindowsInOrderWithoutGapsOnceTheWatermarkPasses() {
    SpanFeatureAggregator agg = aggregator();
    List<WindowFeatures> closed = new ArrayList<>();
    closed.addAll(agg.accept(trace(String.format("%032x", 1), 0, false)));
    closed.addAll(agg.accept(trace(String.format("%032x", 2), 35_000, false)));
    // watermark = 35.1 s - 1 s; windows ending at or before 34.1 - 5 = 29.1 s are closed.
    assertThat(closed)
        .extracting(w -> w.start().toEpochMilli() - T0 / MS)
        .containsExactly(0L, 10_000L);
    assertThat(closed.get(0).services()).containsKey("frontend");
    assertThat(closed.get(1).services()).isEmpty();
    assertThat(agg.flush()).hasSize(2);
  }

  @Test
  void countsSpansOfTracesThatCompleteAfterTheirWindowClosed() {
    SpanFeatureAggregator agg = aggregator();
    agg.accept(trace(String.format("%032x", 1), 0, false));
    agg.accept(trace(String.format("%032x", 2), 60_000, false));
    agg.accept(trace(String.format("%032x", 3), 100, false)); // long after its window closed
    agg.flush();
    assertThat(agg.stats().lateSpans()).isEqualTo(3); // frontend, catalog, catalog-db observations
    assertThat(agg.stats().spans()).isEqualTo(12);
  }

  @Test
  void treatsKindlessSpansCrossingServicesAsEntries() {
    long t = T0;
    String tid = String.format("%032x", 9);
    List<SpanRecord> spans =
        List.of(
            span(
                tid,
                "0000000000000001",
                "",
                "ts-ui",
                "GET",
                SpanKind.UNSPECIFIED,
                t,
                t + 50 * MS,
                false,
                Map.of()),
            span(
                tid,
                "0000000000000002",
                "0000000000000001",
                "ts-travel",
                "query",
                SpanKind.UNSPECIFIED,
                t + 5 * MS,
                t + 45 * MS,
                false,
                Map.of()),
            span(
                tid,
                "0000000000000003",
                "0000000000000002",
                "ts-travel",
                "inner",
                SpanKind.UNSPECIFIED,
                t + 6 * MS,
                t + 40 * MS,
                false,
                Map.of()));
    SpanFeatureAggregator agg = aggregator();
    agg.accept(spans);
    WindowFeatures w = agg.flush().get(0);
    assertThat(w.services().get("ts-travel").requests()).isEqualTo(1);
    assertThat(w.services().get("ts-travel").selfP50Millis()).isCloseTo(40, within(1.0));
    assertThat(w.services().get("ts-ui").selfP50Millis()).isCloseTo(10, within(1.0));
  }

  @Test
  void sketchQuantilesAreWithinTheirRelativeAccuracy() {
    LatencySketch sketch = new LatencySketch();
    for (int i = 1; i <= 10_000; i++) {
      sketch.add(i);
    }
    assertThat(sketch.quantile(0.5))
        .isCloseTo(5000, within(5000 * LatencySketch.RELATIVE_ACCURACY));
    assertThat(sketch.quantile(0.99))
        .isCloseTo(9900, within(9900 * LatencySketch.RELATIVE_ACCURACY));
    assertThat(sketch.quantile(0)).isCloseTo(1, within(0.02));
  }

  @Test
  void aLaneThatIsBehindHoldsTheWatermarkBackUntilItCatchesUpOrIsIdle() {
    SpanFeatureAggregator agg = new SpanFeatureAggregator(FeatureConfig.defaults());
    agg.lanesAssigned(List.of("a", "b", "c"));
    // Lane a races ahead by 100 s; lane b is at 0 s; lane c sent nothing yet. Nothing may close.
    assertThat(agg.accept("b", trace("0b000000000000000000000000000001", 0, false))).isEmpty();
    for (int s = 0; s <= 100; s += 5) {
      assertThat(agg.accept("a", trace(String.format("0a%030d", s), s * 1000L, false)))
          .as("lane a at %d s", s)
          .isEmpty();
    }
    assertThat(agg.laneIdle("c")).isEmpty(); // c has nothing to read: b still holds it back
    // Lane b catches up to 60 s: windows up to 60 - 10 (out of order) - 30 (trace length) close,
    // and the trace b sent at 0 s is in the first one, not late.
    List<WindowFeatures> closed =
        agg.accept("b", trace("0b000000000000000000000000000002", 60_000, false));
    assertThat(closed).hasSize(2);
    assertThat(closed.get(0).services().get("frontend").requests()).isEqualTo(3); // b@0, a@0, a@5
    assertThat(agg.stats().lateSpans()).isZero();

    // Lane a moves 3 minutes ahead while b has nothing new: b holds event time back (it may have
    // a backlog) until the source reports it idle.
    for (int s = 105; s <= 300; s += 5) {
      assertThat(agg.accept("a", trace(String.format("0a%030d", s), s * 1000L, false))).isEmpty();
    }
    List<WindowFeatures> more = agg.laneIdle("b");
    assertThat(more).isNotEmpty();
    assertThat(more.get(more.size() - 1).end())
        .isAfter(java.time.Instant.ofEpochSecond(0, T0).plusSeconds(200));
    assertThat(agg.stats().lateSpans()).isZero();
  }

  private static long frontendRequests(List<WindowFeatures> windows) {
    return windows.stream()
        .map(w -> w.services().get("frontend"))
        .filter(java.util.Objects::nonNull)
        .mapToLong(ServiceFeatures::requests)
        .sum();
  }

  @Test
  void aBatchDeliveredTwiceIsCountedOnce() {
    SpanFeatureAggregator once = new SpanFeatureAggregator(FeatureConfig.defaults());
    SpanFeatureAggregator twice = new SpanFeatureAggregator(FeatureConfig.defaults());
    List<WindowFeatures> a = new ArrayList<>();
    List<WindowFeatures> b = new ArrayList<>();
    for (int s = 0; s < 120; s += 2) {
      List<SpanRecord> batch = trace(String.format("0c%030d", s), s * 1000L, false);
      a.addAll(once.accept(batch));
      b.addAll(twice.accept(batch));
      b.addAll(twice.accept(batch)); // redelivered while the trace is pending
      if (s >= 50) {
        b.addAll(twice.accept(trace(String.format("0c%030d", s - 50), (s - 50) * 1000L, false)));
      }
    }
    a.addAll(once.flush());
    b.addAll(twice.flush());
    assertThat(frontendRequests(b)).isEqualTo(frontendRequests(a)).isEqualTo(60);
    assertThat(b).isEqualTo(a);
    assertThat(twice.stats().duplicateSpans()).isGreaterThan(0);
  }

  @Test
  void aResumedRunSkipsWindowsAnEarlierRunClosedAndCountsTheRestOnce() {
    List<List<SpanRecord>> input = new ArrayList<>();
    for (int s = 0; s < 200; s += 2) {
      input.add(trace(String.format("0d%030d", s), s * 1000L, false));
    }
    SpanFeatureAggregator whole = new SpanFeatureAggregator(FeatureConfig.defaults());
    List<WindowFeatures> expected = new ArrayList<>();
    input.forEach(batch -> expected.addAll(whole.accept(batch)));
    expected.addAll(whole.flush());

    // A first run reads 70 batches and stops without flushing (a crash): its open windows are lost.
    SpanFeatureAggregator first = new SpanFeatureAggregator(FeatureConfig.defaults());
    List<WindowFeatures> got = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      got.addAll(first.accept(input.get(i)));
    }
    java.time.Instant durable = first.closedUpTo();
    assertThat(durable).isNotNull();
    // A second run resumes from the durable point and reads again from a batch before it.
    SpanFeatureAggregator second = new SpanFeatureAggregator(FeatureConfig.defaults());
    second.resumeFrom(durable);
    for (int i = 40; i < input.size(); i++) {
      got.addAll(second.accept(input.get(i)));
    }
    got.addAll(second.flush());
    assertThat(second.stats().replayedSpans()).isGreaterThan(0);
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void aResumedRunWaitingForItsLanesClosesNothing() {
    SpanFeatureAggregator agg = new SpanFeatureAggregator(FeatureConfig.defaults());
    agg.resumeFrom(java.time.Instant.ofEpochSecond(0, T0).plusSeconds(30));
    agg.lanesAssigned(List.of("a", "b"));
    assertThat(agg.accept("a", trace("0e000000000000000000000000000001", 40_000, false))).isEmpty();
    assertThat(agg.stats().windows()).isZero();
  }

  @Test
  void aSpanArrivingAfterItsTraceCompletedIsCountedAsSplit() {
    SpanFeatureAggregator agg = new SpanFeatureAggregator(FeatureConfig.defaults());
    List<SpanRecord> first = trace(String.format("%032x", 7), 0, false);
    // The trace without its database call, then spans 15 s later (more than the 10 s
    // out-of-orderness) complete it; then the database call arrives.
    agg.accept(first.subList(0, 3));
    agg.accept(trace(String.format("%032x", 8), 15_000, false));
    assertThat(agg.stats().traces()).isEqualTo(1);
    agg.accept(first.subList(3, 4));
    assertThat(agg.stats().splitTraceSpans()).isEqualTo(1);
    assertThat(agg.stats().duplicateSpans()).isZero();
    agg.accept(first.subList(3, 4)); // delivered again: a duplicate, not a second split
    assertThat(agg.stats().splitTraceSpans()).isEqualTo(1);
    assertThat(agg.stats().duplicateSpans()).isEqualTo(1);
  }
}
