package dev.vigil.nlq;

import dev.vigil.features.WindowFeatures;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the diagnostic tools read: the live state of the watched system as the pipeline knows it.
 * Implementations return snapshots that are safe to read from any thread while the pipeline goes
 * on; the service implements it over its pipeline, tests and the evaluation over recorded windows.
 */
public interface LiveState {

  /** The current event time: the end of the newest closed window. */
  Instant now();

  /** Every service seen. */
  Set<String> services();

  /**
   * The closed windows that start in {@code [from, to)}, oldest first. An implementation keeps a
   * bounded history; windows older than it are absent, and the tools say so.
   */
  List<WindowFeatures> windows(Instant from, Instant to);

  /** Recent incidents, newest first. */
  List<Incident> incidents();

  /** The service call graph. */
  CallGraph graph();

  /** Recent alerts, newest first. */
  List<AlertNote> alerts();
}
