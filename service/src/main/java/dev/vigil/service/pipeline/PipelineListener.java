package dev.vigil.service.pipeline;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.rca.Incident;
import dev.vigil.service.alerting.Alert;

/**
 * Receives the pipeline's outputs on the pipeline thread. Implementations must be quick; the
 * pipeline isolates their failures (a throwing listener is logged and counted, never fatal).
 */
public interface PipelineListener {
  default void onWindow(WindowFeatures window) {}

  default void onAnomaly(Anomaly anomaly) {}

  default void onAlert(Alert alert) {}

  default void onIncident(Incident incident) {}
}
