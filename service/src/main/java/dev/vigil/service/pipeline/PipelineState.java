package dev.vigil.service.pipeline;

import java.util.Map;

/**
 * Snapshots of a pipeline's learnt state by part (detectors per service, incidents, alerts). The
 * parts are filled in as each piece of state gains a versioned snapshot format.
 */
final class PipelineState {
  private PipelineState() {}

  static Map<String, byte[]> snapshot(VigilPipeline pipeline) {
    return Map.of();
  }

  static void restore(VigilPipeline pipeline, Map<String, byte[]> parts) {}
}
