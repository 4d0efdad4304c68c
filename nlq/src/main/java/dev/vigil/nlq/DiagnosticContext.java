package dev.vigil.nlq;

import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of the live state: every field copied, so it can be read while the pipeline goes on.
 * The pipeline's own snapshot ({@code VigilPipeline#diagnosticContext}) has the latest window only;
 * a state with history and alerts is built with the canonical constructor.
 *
 * @param now the current event time
 * @param services every known service
 * @param incidents recent incidents, newest first
 * @param history closed windows, oldest first
 * @param callGraph the call graph
 * @param alertNotes recent alerts, newest first
 */
public record DiagnosticContext(
    Instant now,
    Set<String> services,
    List<Incident> incidents,
    List<WindowFeatures> history,
    CallGraph callGraph,
    List<AlertNote> alertNotes)
    implements LiveState {

  public DiagnosticContext {
    services = Set.copyOf(services);
    incidents = List.copyOf(incidents);
    history = List.copyOf(history);
    alertNotes = List.copyOf(alertNotes);
  }

  /**
   * The snapshot with each service's features in the latest closed window only (taken as a window
   * of {@link FeatureConfig#DEFAULT_WINDOW} ending now) and a call graph of the services alone.
   */
  public DiagnosticContext(
      Instant now,
      Set<String> services,
      List<Incident> incidents,
      Map<String, ServiceFeatures> latest) {
    this(
        now,
        services,
        incidents,
        latest.isEmpty()
            ? List.of()
            : List.of(
                new WindowFeatures(
                    now.minus(FeatureConfig.DEFAULT_WINDOW),
                    FeatureConfig.DEFAULT_WINDOW,
                    latest,
                    List.of(),
                    List.of())),
        graphOf(now, latest),
        List.of());
  }

  private static CallGraph graphOf(Instant now, Map<String, ServiceFeatures> latest) {
    CallGraph g = new CallGraph();
    g.update(new WindowFeatures(now, FeatureConfig.DEFAULT_WINDOW, latest, List.of(), List.of()));
    return g;
  }

  @Override
  public List<WindowFeatures> windows(Instant from, Instant to) {
    return history.stream()
        .filter(w -> !w.start().isBefore(from) && w.start().isBefore(to))
        .toList();
  }

  @Override
  public CallGraph graph() {
    return callGraph;
  }

  @Override
  public List<AlertNote> alerts() {
    return alertNotes;
  }
}
