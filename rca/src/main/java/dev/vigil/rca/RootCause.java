package dev.vigil.rca;

import java.util.List;

/**
 * A ranked root-cause candidate.
 *
 * @param score relative confidence in [0, 1]; the scores of one ranking sum to 1
 * @param anomalous whether the service itself was flagged anomalous
 * @param path how the fault propagated: this service first, then its callers up to the farthest
 *     affected one
 * @param evidence the facts behind the ranking, strongest first
 */
public record RootCause(
    String service, double score, boolean anomalous, List<String> path, List<Evidence> evidence) {
  public RootCause {
    path = List.copyOf(path);
    evidence = List.copyOf(evidence);
  }
}
