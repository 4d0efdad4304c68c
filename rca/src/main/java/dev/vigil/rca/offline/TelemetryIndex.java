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
    long lastMillis) {

  public TelemetryIndex {
    services = Set.copyOf(services);
    series = List.copyOf(series);
    callEdges = List.copyOf(callEdges);
    operationEdges = List.copyOf(operationEdges);
    callPatterns = List.copyOf(callPatterns);
    examples = List.copyOf(examples);
  }

  public boolean hasTraces() {
    return series.stream().anyMatch(s -> s.key().kind() != SeriesKind.RESOURCE);
  }
}
