package dev.vigil.features;

import java.util.List;
import java.util.Map;

/**
 * One service's features over one window, from the spans that entered it (server and consumer
 * spans, or spans whose parent is in another service or absent). Latencies are in milliseconds;
 * they are NaN when the window had no requests.
 *
 * @param requests requests handled in the window
 * @param errors requests that ended in error
 * @param selfErrors errors that did not come from a failing downstream call
 * @param selfP50Millis median self time: latency minus the time spent waiting on downstream calls
 * @param slowTraceIds ids of the slowest traces of the window, slowest first
 * @param errorTraceIds ids of some traces with errors in this service
 * @param traceMillis the duration in this service of each trace of {@code slowTraceIds} and {@code
 *     errorTraceIds}, in milliseconds (empty when not recorded)
 */
public record ServiceFeatures(
    String service,
    long requests,
    long errors,
    long selfErrors,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    double selfP50Millis,
    double selfP95Millis,
    List<String> slowTraceIds,
    List<String> errorTraceIds,
    Map<String, Double> traceMillis) {

  public ServiceFeatures {
    slowTraceIds = List.copyOf(slowTraceIds);
    errorTraceIds = List.copyOf(errorTraceIds);
    traceMillis = Map.copyOf(traceMillis);
  }

  /** Features without the exemplar traces' durations. */
  public ServiceFeatures(
      String service,
      long requests,
      long errors,
      long selfErrors,
      double p50Millis,
      double p95Millis,
      double p99Millis,
      double selfP50Millis,
      double selfP95Millis,
      List<String> slowTraceIds,
      List<String> errorTraceIds) {
    this(
        service,
        requests,
        errors,
        selfErrors,
        p50Millis,
        p95Millis,
        p99Millis,
        selfP50Millis,
        selfP95Millis,
        slowTraceIds,
        errorTraceIds,
        Map.of());
  }

  public double errorRate() {
    return requests == 0 ? 0 : (double) errors / requests;
  }

  public double selfErrorRate() {
    return requests == 0 ? 0 : (double) selfErrors / requests;
  }
}
