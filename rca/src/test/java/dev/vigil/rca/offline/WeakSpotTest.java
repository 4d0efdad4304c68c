package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rca.Evidence;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import dev.vigil.telemetry.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Synthetic cases of the kinds the engine has got wrong on other systems. */
class WeakSpotTest {
  private static final long START = 1_700_000_000_000L;
  private static final int FAULT_AT = 600;
  private static final int DURATION = 900;

  /**
   * A network delay on the callee's side: the caller's client span grows by 150 ms while the
   * callee's own server span does not. The caller waits longer, but only the call gap is new.
   */
  @Test
  void aNetworkDelayOnACalleeRanksTheCalleeAboveItsCaller() {
    AnalysisResult result = analyze(150, 0);
    assertThat(result.rootCauses().get(0).service()).isEqualTo("backend");
  }

  /**
   * A fault in the entry service itself: its own work before the calls grows by 80 ms, its callees
   * and the network do not change. Everything the users see passes through it, and its callees are
   * not to blame.
   */
  @Test
  void aFaultInTheEntryServiceRanksItAboveItsCallees() {
    AnalysisResult result = analyze(0, 80);
    assertThat(result.rootCauses().get(0).service()).isEqualTo("front");
  }

  /**
   * A front calling backend and other through client spans, one request per second.
   *
   * @param gapMillis extra network time on the calls into backend after the fault
   * @param frontMillis extra own time of front after the fault
   */
  private static AnalysisResult analyze(double gapMillis, double frontMillis) {
    Random random = new Random(11);
    List<SpanRecord> spans = new ArrayList<>();
    for (int sec = 0; sec < DURATION; sec++) {
      boolean fault = sec >= FAULT_AT;
      String trace = String.format("%032x", sec + 1L);
      long t = (START + sec * 1000L) * 1_000_000L;
      long own = (long) ((1 + random.nextDouble() * 0.2 + (fault ? frontMillis : 0)) * 1e6);
      long cursor = t + own;
      String[] callees = {"backend", "other"};
      for (int c = 0; c < callees.length; c++) {
        double gap = 1 + random.nextDouble() * 0.2 + (fault && c == 0 ? gapMillis : 0);
        long serverNanos = (long) ((4 + random.nextDouble()) * 1e6);
        String client = String.format("%016x", 10L * sec + 2 + 2 * c);
        String server = String.format("%016x", 10L * sec + 3 + 2 * c);
        long clientEnd = cursor + serverNanos + (long) (gap * 1e6);
        long serverStart = cursor + (long) (gap * 1e6 / 2);
        spans.add(span(trace, client, id(sec), "front", "GET", SpanKind.CLIENT, cursor, clientEnd));
        spans.add(
            span(
                trace,
                server,
                client,
                callees[c],
                "GET /" + callees[c],
                SpanKind.SERVER,
                serverStart,
                serverStart + serverNanos));
        cursor = clientEnd + 500_000L;
      }
      spans.add(
          span(trace, id(sec), "", "front", "GET /", SpanKind.SERVER, t, cursor + 1_000_000L));
    }
    return OfflineAnalyzer.defaults()
        .analyze(
            List.of(TelemetryBatch.ofSpans(spans)),
            Optional.of(Instant.ofEpochMilli(START + FAULT_AT * 1000L)));
  }

  /**
   * A cache without spans of its own, called by front and by backend through client spans that name
   * it ({@code db.system}, {@code server.address}): its latency grows by 40 ms for every caller. It
   * is ranked first, above the callers that wait on it, as a service seen only from their client
   * spans.
   */
  @Test
  void aCacheSeenOnlyInItsCallersClientSpansRanksFirstWhenItSlowsDown() {
    AnalysisResult result = analyzeWithCache(40);
    RankedCause top = result.rootCauses().get(0);
    assertThat(top.service()).isEqualTo("cache");
    assertThat(top.evidence())
        .anySatisfy(
            e -> {
              assertThat(e.kind()).isEqualTo(Evidence.INFERRED_SERVICE);
              assertThat(e.text()).contains("seen only from its callers' client spans");
            });
    assertThat(result.rootCauses()).extracting(RankedCause::service).contains("cache");
  }

  /** Without a change, the cache is a vertex like any other but nothing of it is anomalous. */
  @Test
  void aCacheSeenOnlyInClientSpansIsAServiceOfTheCallGraph() {
    IncidentData data =
        OfflineAnalyzer.defaults()
            .prepare(List.of(TelemetryBatch.ofSpans(cacheSpans(40))), faultTime());
    assertThat(data.candidates()).contains("cache", "front", "backend");
    assertThat(data.graph().callers("cache")).containsExactlyInAnyOrder("front", "backend");
    assertThat(data.index().inferredServices()).containsExactly("cache");
  }

  /**
   * Backend refuses front's calls from the fault on: front's client span fails at once and no span
   * of backend is below it, so front fails too (and stops before calling other). Front's error is
   * backend's doing: backend is ranked first, with the calls that did not reach it as evidence.
   */
  @Test
  void aCalleeThatRefusesCallsRanksAboveTheCallerThatFails() {
    AnalysisResult result = analyzeRefused(false);
    RankedCause top = result.rootCauses().get(0);
    assertThat(top.service()).isEqualTo("backend");
    assertThat(top.evidence())
        .anySatisfy(e -> assertThat(e.text()).contains("without reaching it"));
  }

  /**
   * The same with client spans that name their peer: the call is resolved by the peer name the
   * client spans had when they did reach backend.
   */
  @Test
  void aCalleeThatRefusesCallsIsFoundByThePeerItsClientSpansName() {
    AnalysisResult result = analyzeRefused(true);
    assertThat(result.rootCauses().get(0).service()).isEqualTo("backend");
  }

  private static Instant faultTime() {
    return Instant.ofEpochMilli(START + FAULT_AT * 1000L);
  }

  /**
   * Front calls backend (client span, backend's server span below it) and the cache; backend calls
   * the cache too. The cache has no spans: only the client spans, which name it.
   */
  private static List<SpanRecord> cacheSpans(double cacheMillis) {
    Random random = new Random(13);
    List<SpanRecord> spans = new ArrayList<>();
    Map<String, Object> cache = Map.of("db.system", "redis", "server.address", "cache");
    for (int sec = 0; sec < DURATION; sec++) {
      boolean fault = sec >= FAULT_AT;
      String trace = String.format("%032x", sec + 1L);
      long t = (START + sec * 1000L) * 1_000_000L;
      long cursor = t + (long) ((1 + random.nextDouble() * 0.2) * 1e6);
      long get = (long) ((2 + random.nextDouble() + (fault ? cacheMillis : 0)) * 1e6);
      spans.add(
          with(
              span(
                  trace,
                  id(sec, 2),
                  id(sec, 1),
                  "front",
                  "GET",
                  SpanKind.CLIENT,
                  cursor,
                  cursor + get),
              StatusCode.UNSET,
              cache));
      cursor += get + 200_000L;
      long clientStart = cursor;
      long serverStart = cursor + 500_000L;
      long inner = serverStart + (long) ((1 + random.nextDouble() * 0.2) * 1e6);
      long get2 = (long) ((2 + random.nextDouble() + (fault ? cacheMillis : 0)) * 1e6);
      spans.add(
          with(
              span(
                  trace,
                  id(sec, 5),
                  id(sec, 4),
                  "backend",
                  "GET",
                  SpanKind.CLIENT,
                  inner,
                  inner + get2),
              StatusCode.UNSET,
              cache));
      long serverEnd = inner + get2 + (long) ((1 + random.nextDouble() * 0.2) * 1e6);
      spans.add(
          span(
              trace,
              id(sec, 4),
              id(sec, 3),
              "backend",
              "GET /backend",
              SpanKind.SERVER,
              serverStart,
              serverEnd));
      cursor = serverEnd + 500_000L;
      spans.add(
          span(
              trace,
              id(sec, 3),
              id(sec, 1),
              "front",
              "GET /backend",
              SpanKind.CLIENT,
              clientStart,
              cursor));
      spans.add(
          span(trace, id(sec, 1), "", "front", "GET /", SpanKind.SERVER, t, cursor + 1_000_000L));
    }
    return spans;
  }

  private static AnalysisResult analyzeWithCache(double cacheMillis) {
    return OfflineAnalyzer.defaults()
        .analyze(
            List.of(TelemetryBatch.ofSpans(cacheSpans(cacheMillis))), Optional.of(faultTime()));
  }

  /**
   * Front calls backend, then other, through client spans with server spans below them. From the
   * fault on, backend refuses: front's client span fails after 1 ms with no span of backend below
   * it, and front fails without calling other.
   *
   * @param namePeers whether the client spans name their peer ({@code server.address})
   */
  private static AnalysisResult analyzeRefused(boolean namePeers) {
    Random random = new Random(17);
    List<SpanRecord> spans = new ArrayList<>();
    String[] callees = {"backend", "other"};
    for (int sec = 0; sec < DURATION; sec++) {
      boolean fault = sec >= FAULT_AT;
      String trace = String.format("%032x", sec + 1L);
      long t = (START + sec * 1000L) * 1_000_000L;
      long cursor = t + (long) ((1 + random.nextDouble() * 0.2) * 1e6);
      boolean failed = false;
      for (int c = 0; c < callees.length && !failed; c++) {
        String client = id(sec, 2 + 2 * c);
        Map<String, Object> peer =
            namePeers ? Map.of("server.address", callees[c] + ".svc") : Map.of();
        if (fault && c == 0) {
          long end = cursor + 1_000_000L;
          spans.add(
              with(
                  span(
                      trace,
                      client,
                      id(sec, 1),
                      "front",
                      "GET /" + callees[c],
                      SpanKind.CLIENT,
                      cursor,
                      end),
                  StatusCode.ERROR,
                  peer));
          cursor = end;
          failed = true;
          continue;
        }
        long serverNanos = (long) ((4 + random.nextDouble()) * 1e6);
        long gap = (long) ((1 + random.nextDouble() * 0.2) * 1e6);
        long serverStart = cursor + gap / 2;
        spans.add(
            span(
                trace,
                id(sec, 3 + 2 * c),
                client,
                callees[c],
                "GET /" + callees[c],
                SpanKind.SERVER,
                serverStart,
                serverStart + serverNanos));
        long end = cursor + serverNanos + gap;
        spans.add(
            with(
                span(
                    trace,
                    client,
                    id(sec, 1),
                    "front",
                    "GET /" + callees[c],
                    SpanKind.CLIENT,
                    cursor,
                    end),
                StatusCode.UNSET,
                peer));
        cursor = end + 500_000L;
      }
      SpanRecord entry =
          span(trace, id(sec, 1), "", "front", "GET /", SpanKind.SERVER, t, cursor + 1_000_000L);
      spans.add(failed ? with(entry, StatusCode.ERROR, Map.of()) : entry);
    }
    return OfflineAnalyzer.defaults()
        .analyze(List.of(TelemetryBatch.ofSpans(spans)), Optional.of(faultTime()));
  }

  private static String id(int sec, int n) {
    return String.format("%016x", 10L * sec + n);
  }

  private static String id(int sec) {
    return String.format("%016x", 10L * sec + 1);
  }

  private static SpanRecord span(
      String trace,
      String id,
      String parent,
      String service,
      String name,
      SpanKind kind,
      long start,
      long end) {
    return new SpanRecord(
        trace,
        id,
        parent,
        Resource.ofService(service),
        name,
        kind,
        start,
        end,
        StatusCode.UNSET,
        Map.of());
  }

  private static SpanRecord with(SpanRecord s, StatusCode status, Map<String, Object> attributes) {
    return new SpanRecord(
        s.traceId(),
        s.spanId(),
        s.parentSpanId(),
        s.resource(),
        s.name(),
        s.kind(),
        s.startEpochNanos(),
        s.endEpochNanos(),
        status,
        attributes);
  }
}
