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
}
