package dev.vigil.rca.offline;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.RootCause;
import java.util.List;

/**
 * A ranked root-cause candidate of an offline analysis.
 *
 * @param service the service
 * @param component the finer-grained cause within it: an operation, or a resource such as "CPU
 *     usage of ts-travel-service"; empty when nothing in the service changed on its own
 * @param score relative confidence in [0, 1]; the scores of one ranking sum to 1
 * @param path how the fault propagated: this service first, then callers up to an entry service
 * @param evidence the facts behind the ranking, strongest first
 */
public record RankedCause(
    String service, String component, double score, List<String> path, List<Evidence> evidence) {

  public RankedCause {
    path = List.copyOf(path);
    evidence = List.copyOf(evidence);
  }

  /** The same candidate as the live pipeline's {@link RootCause}. */
  public RootCause toRootCause() {
    boolean changed = evidence.stream().anyMatch(e -> e.kind().equals(Evidence.METRIC_CHANGE));
    return new RootCause(service, score, changed, path, evidence);
  }
}
