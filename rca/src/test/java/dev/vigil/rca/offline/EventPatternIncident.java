package dev.vigil.rca.offline;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import dev.vigil.telemetry.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A code fault that moves no latency, under a change of the workload mix, with ground truth. A
 * {@code front} service takes one request every two seconds: {@code GET /checkout} calls {@code
 * backend} {@code GET /items}, {@code GET /browse} calls {@code catalog} {@code GET /products},
 * {@code GET /search} calls {@code search} {@code GET /find}. Before {@link #FAULT_AT} one request
 * in four is a checkout and the others browse; from then on one in four browses and half search (a
 * mix the normal window never saw, so {@code front} and {@code search} log templates that are new,
 * and {@code catalog} logs less), and the backend's {@code GET /items} returns early: it no longer
 * logs {@code loaded <n> items from store} but {@code returning default item list}, with the same
 * spans, calls and latency. Every request's log lines carry its trace and span id.
 */
final class EventPatternIncident {
  static final long START_MILLIS = 1_700_000_000_000L;
  static final int FAULT_AT = 1200;
  static final int DURATION = 1500;
  static final String FAULTY = "backend";

  private final boolean logs;
  private final boolean logsBeforeFault;
  private final Random random = new Random(7);

  /**
   * @param logs whether log records are recorded at all
   * @param logsBeforeFault whether they are recorded before the fault too (else only from the fault
   *     on, as when log collection started late)
   */
  EventPatternIncident(boolean logs, boolean logsBeforeFault) {
    this.logs = logs;
    this.logsBeforeFault = logsBeforeFault;
  }

  static Instant faultTime() {
    return Instant.ofEpochMilli(START_MILLIS + FAULT_AT * 1000L);
  }

  List<TelemetryBatch> batches() {
    List<SpanRecord> spans = new ArrayList<>();
    List<LogEntry> lines = new ArrayList<>();
    int n = 0;
    for (int sec = 0; sec < DURATION; sec += 2) {
      boolean fault = sec >= FAULT_AT;
      int kind = n++ % 4;
      // before: 1 in 4 requests is a checkout, the others browse; after: 1 in 4 browses, 2 search
      String op = kind == 0 ? "checkout" : !fault || kind == 1 ? "browse" : "search";
      boolean search = op.equals("search");
      boolean browse = op.equals("browse");
      long start = (START_MILLIS + sec * 1000L) * 1_000_000L;
      String traceId = String.format("%032x", sec + 1L);
      String frontSpan = String.format("%016x", 2L * sec + 1);
      String calleeSpan = String.format("%016x", 2L * sec + 2);
      long calleeStart = start + 1_000_000L;
      long calleeEnd = calleeStart + (long) ((3 + random.nextDouble()) * 1e6);
      long end = calleeEnd + 1_000_000L;
      String callee = search ? "search" : browse ? "catalog" : FAULTY;
      spans.add(
          span(
              traceId,
              calleeSpan,
              frontSpan,
              callee,
              search ? "GET /find" : browse ? "GET /products" : "GET /items",
              calleeStart,
              calleeEnd));
      spans.add(span(traceId, frontSpan, "", "front", "GET /" + op, start, end));
      boolean logged = logs && (logsBeforeFault || fault);
      if (!logged) {
        continue;
      }
      if (browse) {
        lines.add(
            log(
                "catalog",
                calleeEnd,
                traceId,
                calleeSpan,
                "INFO listed " + random.nextInt(50) + " products"));
        lines.add(
            log(
                "front",
                end,
                traceId,
                frontSpan,
                "INFO page shown to user " + random.nextInt(1000)));
      } else if (search) {
        lines.add(
            log(
                "search",
                calleeEnd,
                traceId,
                calleeSpan,
                "INFO found " + random.nextInt(50) + " hits"));
        lines.add(
            log(
                "front",
                end,
                traceId,
                frontSpan,
                "INFO search answered for user " + random.nextInt(1000)));
      } else {
        lines.add(
            log(
                FAULTY,
                calleeEnd,
                traceId,
                calleeSpan,
                fault
                    ? "WARN returning default item list"
                    : "INFO loaded " + random.nextInt(50) + " items from store"));
        lines.add(
            log(
                "front",
                end,
                traceId,
                frontSpan,
                "INFO checkout done for user " + random.nextInt(1000)));
      }
    }
    return List.of(new TelemetryBatch(spans, List.of(), lines));
  }

  /** A server span of one service. */
  static SpanRecord span(
      String traceId,
      String spanId,
      String parent,
      String service,
      String name,
      long start,
      long end) {
    return new SpanRecord(
        traceId,
        spanId,
        parent,
        Resource.ofService(service),
        name,
        SpanKind.SERVER,
        start,
        end,
        StatusCode.UNSET,
        Map.of());
  }

  /** A log line of one service, joined to its trace and span. */
  static LogEntry log(String service, long nanos, String traceId, String spanId, String line) {
    return new LogEntry(
        Resource.ofService(service), nanos, 0, "", line, "", traceId, spanId, Map.of());
  }
}
