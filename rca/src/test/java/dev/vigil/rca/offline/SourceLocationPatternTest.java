package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.offline.CallPattern.OperationKey;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A caught exception that skips one log statement of two that write the same message: the faulty
 * service's spans, calls and latency do not change, and the statement it still reaches differs from
 * the one it no longer reaches only by its source location ({@code Class#line}).
 */
class SourceLocationPatternTest {
  private static final long START = 1_700_000_000_000L;
  private static final int FAULT_AT = 1200;
  private static final int DURATION = 1500;
  private static final Instant FAULT = Instant.ofEpochMilli(START + FAULT_AT * 1000L);
  private static final OperationKey TRIPS = new OperationKey("travel", "POST /trips");

  /** A CPU utilisation from 2% to 80% at the fault. */
  private static final double[] CPU_SATURATED = {0.02, 0.8};

  @Test
  void aStatementThatStopsBeingReachedIsToldFromItsTwinByItsLocation() {
    List<TelemetryBatch> batches = batches(0, 1.0, Map.of());
    IncidentData data = incident(batches);

    Map<String, Double> scores = IncidentRanker.eventPattern().scores(data);
    assertThat(scores).containsOnlyKeys("travel");
    assertThat(scores.get("travel")).isGreaterThan(0.5);
    EventPatternRanker.Change c = EventPatternRanker.rootOperations(data).get(TRIPS);
    assertThat(c.event()).contains("TripServiceImpl#57").doesNotContain("#51");
    assertThat(c.before()).isEqualTo(1.0);
    assertThat(c.after()).isLessThan(0.4);
    assertThat(causes(batches).get(0).service()).isEqualTo("travel");
  }

  /**
   * The recording begins 16 s before the fault, well within the onset tolerance: only 4 trip
   * requests precede it. The normal requests end at the incident time (not the tolerance before it,
   * where there is nothing), and the four, all reaching the statement the later ones skip, are
   * judged by an exact test rather than turned away by a minimum count.
   */
  @Test
  void aRecordingThatBeginsJustBeforeTheIncidentIsComparedWithTheFewRequestsItHas() {
    List<TelemetryBatch> batches = batches(FAULT_AT - 16, 1.0, Map.of());

    EventPatternRanker.Change c = EventPatternRanker.rootOperations(incident(batches)).get(TRIPS);
    assertThat(c).isNotNull();
    assertThat(c.normalRequests()).isEqualTo(4);
    assertThat(c.event()).contains("TripServiceImpl#57");
    assertThat(c.strength()).isGreaterThan(0.4);
    assertThat(causes(batches).get(0).service()).isEqualTo("travel");
  }

  /**
   * Another service saturates its CPU at the fault, so it tops every ranker of series; travel's CPU
   * rises a little. Travel is ranked for what its requests did, so its changed operation names the
   * component and leads its evidence, not the small CPU rise.
   */
  @Test
  void aServiceRankedForWhatItsRequestsDidIsNamedByItsChangedOperation() {
    List<TelemetryBatch> batches =
        batches(0, 1.0, Map.of("travel", new double[] {0.02, 0.03}, "station", CPU_SATURATED));

    RankedCause travel =
        causes(batches).stream()
            .filter(c -> c.service().equals("travel"))
            .findFirst()
            .orElseThrow();
    assertThat(travel.component()).startsWith("operation POST /trips").contains("#57");
    assertThat(travel.evidence().get(0).kind()).isEqualTo(Evidence.REQUEST_PATTERN);
  }

  /**
   * The same service saturates its CPU (2% to 80%) at the fault, and only a third of its requests
   * skip the statement: it is ranked for the CPU, which then leads its evidence and names the
   * component, and the weaker change of its requests follows.
   */
  @Test
  void aServiceRankedForItsSeriesIsNamedByThemBeforeItsRequests() {
    List<TelemetryBatch> batches = batches(0, 0.33, Map.of("travel", CPU_SATURATED));

    RankedCause top = causes(batches).get(0);
    assertThat(top.service()).isEqualTo("travel");
    assertThat(top.component()).isEqualTo("process.cpu.utilization of travel");
    assertThat(top.evidence().get(0).kind()).isEqualTo(Evidence.METRIC_CHANGE);
    assertThat(top.evidence())
        .anySatisfy(e -> assertThat(e.kind()).isEqualTo(Evidence.REQUEST_PATTERN));
  }

  private static IncidentData incident(List<TelemetryBatch> batches) {
    return IncidentData.of(
        SeriesExtractor.extract(batches, AnalysisConfig.DEFAULT_BIN),
        FAULT,
        AnalysisConfig.defaults());
  }

  private static List<RankedCause> causes(List<TelemetryBatch> batches) {
    return OfflineAnalyzer.defaults().analyze(batches, Optional.of(FAULT)).rootCauses();
  }

  /**
   * From {@code fromSec} on, a gateway takes a request every two seconds and calls {@code travel}
   * {@code POST /trips} or {@code station} {@code GET /stations}. Each trip request logs {@code
   * TripServiceImpl#51} and {@code TripServiceImpl#57} with the same message ("Calculate distance")
   * and other values; from {@link #FAULT_AT} on only {@code skipShare} of them log the first alone.
   * Each service in {@code cpu} reports its CPU utilisation every 10 s, before and from the fault
   * on.
   */
  private static List<TelemetryBatch> batches(
      int fromSec, double skipShare, Map<String, double[]> cpu) {
    Random random = new Random(11);
    List<SpanRecord> spans = new ArrayList<>();
    List<LogEntry> lines = new ArrayList<>();
    List<MetricPoint> metrics = new ArrayList<>();
    for (int sec = fromSec; sec < DURATION; sec += 2) {
      boolean fault = sec >= FAULT_AT;
      boolean trip = (sec / 2) % 2 == 0;
      long start = (START + sec * 1000L) * 1_000_000L;
      String traceId = String.format("%032x", sec + 1L);
      String gatewaySpan = String.format("%016x", 2L * sec + 1);
      String calleeSpan = String.format("%016x", 2L * sec + 2);
      long calleeStart = start + 1_000_000L;
      long calleeEnd = calleeStart + (long) ((3 + random.nextDouble()) * 1e6);
      String callee = trip ? "travel" : "station";
      String op = trip ? "POST /trips" : "GET /stations";
      spans.add(
          EventPatternIncident.span(
              traceId, calleeSpan, gatewaySpan, callee, op, calleeStart, calleeEnd));
      spans.add(
          EventPatternIncident.span(
              traceId, gatewaySpan, "", "gateway", "GET /" + callee, start, calleeEnd + 1_000_000));
      if (trip) {
        int hour = random.nextInt(24);
        lines.add(
            EventPatternIncident.log(
                "travel",
                calleeStart + 500_000,
                traceId,
                calleeSpan,
                "INFO t.s.TripServiceImpl#51 [getTickets][Calculate distance][time: "
                    + hour
                    + " from: "
                    + hour
                    + ":00]"));
        if (!fault || random.nextDouble() >= skipShare) {
          lines.add(
              EventPatternIncident.log(
                  "travel",
                  calleeStart + 600_000,
                  traceId,
                  calleeSpan,
                  "INFO t.s.TripServiceImpl#57 [getTickets][Calculate distance][time: "
                      + (hour + 1)
                      + " from: "
                      + (hour + 1)
                      + ":00]"));
        }
      } else {
        lines.add(
            EventPatternIncident.log(
                "station",
                calleeEnd,
                traceId,
                calleeSpan,
                "INFO s.StationController#40 [query][found " + random.nextInt(9) + " stations]"));
      }
    }
    for (Map.Entry<String, double[]> e : new java.util.TreeMap<>(cpu).entrySet()) {
      for (int sec = fromSec; sec < DURATION; sec += 10) {
        metrics.add(
            new MetricPoint.Gauge(
                Resource.ofService(e.getKey()),
                "process.cpu.utilization",
                "1",
                Map.of(),
                0,
                (START + sec * 1000L) * 1_000_000L,
                e.getValue()[sec >= FAULT_AT ? 1 : 0] + random.nextGaussian() * 0.002,
                List.of()));
      }
    }
    return List.of(new TelemetryBatch(spans, metrics, lines));
  }
}
