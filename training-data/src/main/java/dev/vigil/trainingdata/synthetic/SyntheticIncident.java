package dev.vigil.trainingdata.synthetic;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
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
 * A recorded incident with ground truth, for the root-cause tests and the ranking benchmark:
 * services in a call tree (service i calls 2i+1 and 2i+2), one request per second through the whole
 * tree, each service reporting a CPU gauge every 10 s and, optionally, one log line per request
 * joined to its span. At {@link #FAULT_AT} seconds the faulty service gets slower and busier (or
 * only its CPU changes) and, with logs, also logs an error line for each request.
 */
public final class SyntheticIncident {
  public static final long START_MILLIS = 1_700_000_000_000L;
  public static final int FAULT_AT = 600;
  public static final int DURATION = 900;

  private final int services;
  private final int faulty;
  private final double extraMillis;
  private final boolean traces;
  private final boolean logs;
  private final Random random = new Random(42);

  /**
   * @param services services in the tree
   * @param faulty the faulty service's index
   * @param extraMillis added self time of the faulty service from the fault on (0: only its CPU)
   * @param traces whether to emit spans
   */
  public SyntheticIncident(int services, int faulty, double extraMillis, boolean traces) {
    this(services, faulty, extraMillis, traces, false);
  }

  /** As above; with {@code logs}, one log line per span (and an error line at the fault). */
  public SyntheticIncident(
      int services, int faulty, double extraMillis, boolean traces, boolean logs) {
    this.services = services;
    this.faulty = faulty;
    this.extraMillis = extraMillis;
    this.traces = traces;
    this.logs = logs && traces;
  }

  public static String name(int i) {
    return "svc-" + i;
  }

  public static Instant faultTime() {
    return Instant.ofEpochMilli(START_MILLIS + FAULT_AT * 1000L);
  }

  public List<TelemetryBatch> batches() {
    List<SpanRecord> spans = new ArrayList<>();
    List<MetricPoint> metrics = new ArrayList<>();
    for (int sec = 0; sec < DURATION; sec++) {
      boolean fault = sec >= FAULT_AT;
      if (traces) {
        String traceId = String.format("%032x", sec + 1L);
        call(
            0, "", traceId, (START_MILLIS + sec * 1000L) * 1_000_000L, fault, spans, new int[] {0});
      }
      if (sec % 10 == 0) {
        for (int i = 0; i < services; i++) {
          double cpu = 20 + random.nextGaussian() * 2 + (fault && i == faulty ? 60 : 0);
          metrics.add(
              new MetricPoint.Gauge(
                  Resource.ofService(name(i)),
                  "process.cpu.utilization",
                  "%",
                  Map.of(),
                  0,
                  (START_MILLIS + sec * 1000L) * 1_000_000L,
                  cpu,
                  List.of()));
        }
      }
    }
    return List.of(new TelemetryBatch(spans, metrics, logs ? logLines(spans) : List.of()));
  }

  /** One line per span, in its service, joined to it; the faulty service's errors at the fault. */
  private List<LogEntry> logLines(List<SpanRecord> spans) {
    List<LogEntry> out = new ArrayList<>(spans.size() + spans.size() / services);
    Instant fault = faultTime();
    for (SpanRecord s : spans) {
      long millis = (s.endEpochNanos() - s.startEpochNanos()) / 1_000_000L;
      out.add(
          new LogEntry(
              s.resource(),
              s.endEpochNanos(),
              9,
              "INFO",
              "handled "
                  + s.name()
                  + " for order "
                  + random.nextInt(100_000)
                  + " in "
                  + millis
                  + " ms",
              "",
              s.traceId(),
              s.spanId(),
              Map.of()));
      if (s.service().equals(name(faulty))
          && s.startEpochNanos() >= fault.getEpochSecond() * 1_000_000_000L) {
        out.add(
            new LogEntry(
                s.resource(),
                s.endEpochNanos(),
                LogEntry.SEVERITY_ERROR,
                "ERROR",
                "stock reservation " + random.nextInt(100_000) + " not found",
                "",
                s.traceId(),
                s.spanId(),
                Map.of()));
      }
    }
    return out;
  }

  /** Emits the server span of service i and its subtree; returns its end time. */
  private long call(
      int i,
      String parent,
      String traceId,
      long start,
      boolean fault,
      List<SpanRecord> out,
      int[] ids) {
    String spanId =
        String.format("%016x", ++ids[0] + 1_000_000L * Long.parseLong(traceId.substring(16), 16));
    double self =
        2 + Math.abs(random.nextGaussian()) * 0.2 + (fault && i == faulty ? extraMillis : 0);
    long t = start + (long) (self * 1e6 / 2);
    for (int c : new int[] {2 * i + 1, 2 * i + 2}) {
      if (c < services) {
        t = call(c, spanId, traceId, t + 100_000, fault, out, ids) + 100_000;
      }
    }
    long end = t + (long) (self * 1e6 / 2);
    out.add(
        new SpanRecord(
            traceId,
            spanId,
            parent,
            Resource.ofService(name(i)),
            "GET /" + name(i),
            SpanKind.SERVER,
            start,
            end,
            StatusCode.UNSET,
            Map.of()));
    return end;
  }
}
