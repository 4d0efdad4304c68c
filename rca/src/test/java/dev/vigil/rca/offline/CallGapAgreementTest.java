package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A call gap that grows for one caller only is that connection's, not the callee's; one that grows
 * for every caller is the callee's.
 */
class CallGapAgreementTest {
  private static final long START = 1_700_000_000_000L;
  private static final int FAULT_AT = 600;
  private static final int DURATION = 900;

  /**
   * The store's own work grows by 30 ms (the fault); at the same time front's connection to backend
   * gains 120 ms while batch's connection to the same backend does not change. Counted as
   * backend's, the 120 ms would put backend first on its own network; it is one connection's.
   */
  @Test
  void aGapThatGrowsForOneOfTheCallersOnlyIsNotTheCalleesFault() {
    AnalysisResult result = analyze(120, 0, 30);
    assertThat(result.rootCauses().get(0).service()).isEqualTo("store");
    RankedCause backend =
        result.rootCauses().stream().filter(c -> c.service().equals("backend")).findFirst().get();
    assertThat(backend.evidence())
        .anySatisfy(
            e ->
                assertThat(e.text())
                    .startsWith("Network/queueing gap of calls from front to backend rose")
                    .contains("the other callers' gaps into backend grew at most 0% as much"));
  }

  /** Both callers' gaps into backend grow by 120 ms: backend's network, ranked first. */
  @Test
  void aGapThatGrowsForEveryCallerIsTheCallees() {
    AnalysisResult result = analyze(120, 120, 30);
    assertThat(result.rootCauses().get(0).service()).isEqualTo("backend");
  }

  @Test
  void agreementIsTheLargestGrowthOfTheOtherCallersOverItsOwn() {
    SeriesChange a = gap("a", 4, 124);
    SeriesChange b = gap("b", 4, 34);
    SeriesChange c = gap("c", 4, 3);
    assertThat(CallGapAgreement.agreement(a, List.of(a, b, c))).isEqualTo(0.25);
    assertThat(CallGapAgreement.agreement(b, List.of(a, b, c))).isEqualTo(1.0);
    assertThat(CallGapAgreement.agreement(c, List.of(a, b, c))).isEqualTo(1.0);
    assertThat(CallGapAgreement.agreement(a, List.of(a, gap("d", 4, Double.NaN)))).isEqualTo(1.0);
  }

  private static SeriesChange gap(String caller, double before, double after) {
    Series s =
        new Series(
            new SeriesKey("backend", SeriesKind.CALL_GAP, caller, "ms"),
            new long[] {0},
            new double[] {before});
    return new SeriesChange(s, before, after, 1, Math.abs(after - before), after - before);
  }

  /**
   * Every second, front and batch each call backend through a client span; front also calls store.
   *
   * @param frontGap extra time on front's connection to backend after the fault
   * @param batchGap extra time on batch's connection to backend after the fault
   * @param storeMillis extra own time of store after the fault
   */
  private static AnalysisResult analyze(double frontGap, double batchGap, double storeMillis) {
    Random random = new Random(7);
    List<SpanRecord> spans = new ArrayList<>();
    for (int sec = 0; sec < DURATION; sec++) {
      boolean fault = sec >= FAULT_AT;
      for (String caller : List.of("front", "batch")) {
        String trace = String.format("%016x%016x", caller.hashCode() & 0xffff, sec + 1L);
        long t = (START + sec * 1000L) * 1_000_000L;
        String root = String.format("%016x", 100L * sec + 1);
        long cursor = t + (long) ((1 + random.nextDouble() * 0.2) * 1e6);
        List<String> callees =
            caller.equals("front") ? List.of("backend", "store") : List.of("backend");
        for (int c = 0; c < callees.size(); c++) {
          String callee = callees.get(c);
          double extraGap =
              fault && callee.equals("backend")
                  ? (caller.equals("front") ? frontGap : batchGap)
                  : 0;
          double gap = 1 + random.nextDouble() * 0.2 + extraGap;
          double own =
              4 + random.nextDouble() + (fault && callee.equals("store") ? storeMillis : 0);
          long serverNanos = (long) (own * 1e6);
          String client = String.format("%016x", 100L * sec + 2 + 2 * c);
          String server = String.format("%016x", 100L * sec + 3 + 2 * c);
          long clientEnd = cursor + serverNanos + (long) (gap * 1e6);
          long serverStart = cursor + (long) (gap * 1e6 / 2);
          spans.add(
              span(
                  trace,
                  client,
                  root,
                  caller,
                  "call " + callee,
                  SpanKind.CLIENT,
                  cursor,
                  clientEnd));
          spans.add(
              span(
                  trace,
                  server,
                  client,
                  callee,
                  "GET /" + callee,
                  SpanKind.SERVER,
                  serverStart,
                  serverStart + serverNanos));
          cursor = clientEnd + 500_000L;
        }
        spans.add(
            span(
                trace,
                root,
                "",
                caller,
                "GET /" + caller,
                SpanKind.SERVER,
                t,
                cursor + 1_000_000L));
      }
    }
    return OfflineAnalyzer.defaults()
        .analyze(
            List.of(TelemetryBatch.ofSpans(spans)),
            Optional.of(Instant.ofEpochMilli(START + FAULT_AT * 1000L)));
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
}
