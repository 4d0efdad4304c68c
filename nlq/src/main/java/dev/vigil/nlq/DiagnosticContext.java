package dev.vigil.nlq;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.rca.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an answer may be grounded in.
 *
 * @param now the current event time
 * @param services every known service
 * @param incidents recent incidents, newest first
 * @param latest each service's features in the latest closed window
 */
public record DiagnosticContext(
    Instant now,
    Set<String> services,
    List<Incident> incidents,
    Map<String, ServiceFeatures> latest) {
  public DiagnosticContext {
    services = Set.copyOf(services);
    incidents = List.copyOf(incidents);
    latest = Map.copyOf(latest);
  }
}
