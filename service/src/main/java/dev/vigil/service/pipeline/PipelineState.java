package dev.vigil.service.pipeline;

import dev.vigil.models.ServiceAnomalyMonitor;
import dev.vigil.models.SignalAnomalyMonitor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a pipeline's learnt state by part, for a changelogged store: the span-feature
 * monitor of each service ({@code span/<service>}: random cut forest and robust baselines) and the
 * metric-and-log monitor of each service ({@code signal/<service>}: univariate detectors with their
 * seasonal baselines), in the versioned formats of the models module.
 *
 * <p>Cost: a span monitor is about 150 KB and 5 ms, a signal monitor grows with its series and
 * seasonal history (about 90 KB per 10 series after an hour, over 1 MB after a day; see
 * docs/model-state.md). So each service is written once every {@value #SPAN_EVERY} windows (signal
 * monitors every {@value #SIGNAL_EVERY}), services spread over the windows; a restart or a move
 * then resumes from state at most that many windows old, which keeps the baselines warm (what
 * matters for detecting at once) at a small fraction of the cost of writing every window.
 */
final class PipelineState {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineState.class);
  static final int SPAN_EVERY = 6;
  static final int SIGNAL_EVERY = 60;
  static final String SPAN = "span/";
  static final String SIGNAL = "signal/";
  static final String INCIDENTS = "incidents";
  static final String ALERTS = "alerts";

  private PipelineState() {}

  static Map<String, byte[]> snapshot(VigilPipeline pipeline, long window) {
    Map<String, byte[]> out = new HashMap<>();
    // Incidents and alerts every window: small, and what an on-call engineer sees must not
    // reopen under a new id when the engine moves.
    out.put(INCIDENTS, pipeline.incidentTracker().snapshot());
    out.put(ALERTS, pipeline.alerts().snapshot());
    ServiceAnomalyMonitor spans = pipeline.monitor();
    for (String service : spans.services()) {
      if (due(service, window, SPAN_EVERY)) {
        out.put(SPAN + service, spans.snapshot(service));
      }
    }
    SignalAnomalyMonitor signals = pipeline.signalMonitor();
    for (String service : signals.services()) {
      if (due(service, window, SIGNAL_EVERY)) {
        try {
          out.put(SIGNAL + service, signals.snapshot(service));
        } catch (UnsupportedOperationException e) {
          // A detector without a snapshot format relearns after a restart.
        }
      }
    }
    return out;
  }

  private static boolean due(String service, long window, int every) {
    return Math.floorMod(service.hashCode() + window, every) == 0;
  }

  /**
   * Restores what fits; a refused part is logged and its service relearns.
   *
   * @return the parts restored and the parts refused
   */
  static int[] restore(VigilPipeline pipeline, Map<String, byte[]> parts) {
    int refused = 0;
    Set<String> restored = new TreeSet<>();
    for (Map.Entry<String, byte[]> e : parts.entrySet()) {
      String key = e.getKey();
      try {
        if (key.equals(INCIDENTS)) {
          pipeline.incidentTracker().restore(e.getValue());
          restored.add(key);
        } else if (key.equals(ALERTS)) {
          pipeline.alerts().restore(e.getValue());
          restored.add(key);
        } else if (key.startsWith(SPAN)) {
          pipeline.monitor().restore(key.substring(SPAN.length()), e.getValue());
          restored.add(key);
        } else if (key.startsWith(SIGNAL)) {
          pipeline.signalMonitor().restore(key.substring(SIGNAL.length()), e.getValue());
          restored.add(key);
        }
      } catch (IllegalArgumentException ex) {
        // IncompatibleModelException included: another format, schema or configuration.
        refused++;
        LOG.warn("state part {} refused: {}", key, ex.getMessage());
      }
    }
    LOG.info("restored {} state parts, refused {}", restored.size(), refused);
    return new int[] {restored.size(), refused};
  }
}
