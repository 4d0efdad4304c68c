package dev.vigil.rca.offline;

import java.util.List;
import java.util.Set;

/**
 * Everything extracted from a recording, before an incident time splits it into windows.
 *
 * @param services every service seen in spans or metrics, sorted
 * @param series span series binned by {@code binMillis}, and metric series at their own times
 * @param callEdges the service call graph with per-edge rate, errors and latency
 * @param operationEdges the operation call graph
 * @param callPatterns what each request did in the service that handled it
 * @param examples the slowest requests of each operation and bin
 * @param firstMillis the earliest time seen
 * @param lastMillis the latest time seen
 * @param inferredServices services that are not instrumented and were seen only from their callers'
 *     client spans (databases, caches and other dependencies named by the client spans)
 */
public record TelemetryIndex(
    Set<String> services,
    List<Series> series,
    List<CallEdge> callEdges,
    List<OperationEdge> operationEdges,
    List<CallPattern> callPatterns,
    List<TraceExample> examples,
    long binMillis,
    long firstMillis,
    long lastMillis,
    Set<String> inferredServices) {

  /** An index without inferred services. */
  public TelemetryIndex(
      Set<String> services,
      List<Series> series,
      List<CallEdge> callEdges,
      List<OperationEdge> operationEdges,
      List<CallPattern> callPatterns,
      List<TraceExample> examples,
      long binMillis,
      long firstMillis,
      long lastMillis) {
    this(
        services,
        series,
        callEdges,
        operationEdges,
        callPatterns,
        examples,
        binMillis,
        firstMillis,
        lastMillis,
        Set.of());
  }

  public TelemetryIndex {
    inferredServices = Set.copyOf(inferredServices);
    services = Set.copyOf(services);
    series = List.copyOf(series);
    callEdges = List.copyOf(callEdges);
    operationEdges = List.copyOf(operationEdges);
    callPatterns = List.copyOf(callPatterns);
    examples = List.copyOf(examples);
  }

  public boolean hasTraces() {
    return series.stream().anyMatch(s -> !s.key().kind().metric());
  }
}
