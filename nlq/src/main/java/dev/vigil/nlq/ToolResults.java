package dev.vigil.nlq;

import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The values the {@link TelemetryTools} return, each with the fact line it contributes. */
public final class ToolResults {
  private ToolResults() {}

  /**
   * A service's window features over a range.
   *
   * @param windows closed windows in the range that saw the service
   * @param p95Millis request-weighted mean of the windows' p95 latency; NaN without requests
   * @param maxP95Millis the highest window p95
   * @param selfP95Millis request-weighted mean of the windows' self-time p95
   */
  public record ServiceStats(
      String service,
      TimeRange range,
      int windows,
      long requests,
      long errors,
      double p95Millis,
      double maxP95Millis,
      double selfP95Millis) {

    public double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }

    public boolean hasData() {
      return requests > 0;
    }

    public String fact() {
      if (!hasData()) {
        return String.format(
            Locale.ROOT, "%s, %s: no requests seen (%d windows).", service, range.label(), windows);
      }
      return String.format(
          Locale.ROOT,
          "%s, %s: %d requests, %d errors (error rate %s), p95 latency %s (highest window %s),"
              + " self-time p95 %s, over %d windows.",
          service,
          range.label(),
          requests,
          errors,
          Format.percent(errorRate()),
          Format.ms(p95Millis),
          Format.ms(maxP95Millis),
          Format.ms(selfP95Millis),
          windows);
    }
  }

  /**
   * One exemplar trace of a service.
   *
   * @param millis its duration in the service, or NaN when not recorded
   * @param error whether it ended in error in the service
   */
  public record TraceRef(
      String traceId, String service, double millis, Instant windowStart, boolean error) {
    public String fact() {
      return String.format(
          Locale.ROOT,
          "trace %s in %s: %s%s (window %s).",
          traceId,
          service,
          Double.isNaN(millis) ? "duration not recorded" : Format.ms(millis),
          error ? ", error" : "",
          windowStart);
    }
  }

  /** Who calls a service and whom it calls, with the calls over the range. */
  public record Neighbours(String service, List<Edge> callers, List<Edge> callees) {
    public Neighbours {
      callers = List.copyOf(callers);
      callees = List.copyOf(callees);
    }
  }

  /** Calls from one service to another over a range. */
  public record Edge(String caller, String callee, long calls, long errors, double p95Millis) {
    public String fact() {
      return String.format(
          Locale.ROOT,
          "calls %s -> %s: %d calls, %d errors, p95 %s.",
          caller,
          callee,
          calls,
          errors,
          Format.ms(p95Millis));
    }
  }

  /** A service's features over two ranges. */
  public record Comparison(ServiceStats current, ServiceStats baseline) {}

  /**
   * How far an incident reaches.
   *
   * @param rootCause the top-ranked cause
   * @param affectedCallers affected services on the propagation path above the root cause
   * @param entry the entry service on the path, or null
   * @param entryShare share of the entry's requests that called the next service on the path, NaN
   *     when not measured
   * @param entryRequests the entry's requests during the incident
   */
  public record Impact(
      Incident incident,
      RootCause rootCause,
      List<String> affectedCallers,
      String entry,
      String pathHead,
      double entryShare,
      long entryRequests) {
    public Impact {
      affectedCallers = List.copyOf(affectedCallers);
    }

    public String fact() {
      String base =
          String.format(
              Locale.ROOT,
              "impact of %s: affected services %s; affected callers on the path from %s: %s.",
              incident.id(),
              String.join(", ", incident.affectedServices()),
              rootCause.service(),
              affectedCallers.isEmpty() ? "none" : String.join(", ", affectedCallers));
      if (entry == null || Double.isNaN(entryShare)) {
        return base;
      }
      return base
          + String.format(
              Locale.ROOT,
              " %s of %d requests of the entry service %s called %s during the incident.",
              Format.percent(entryShare),
              entryRequests,
              entry,
              pathHead);
    }
  }
}
