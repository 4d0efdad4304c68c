package dev.vigil.service.cli;

import dev.vigil.features.WindowFeatures;
import dev.vigil.service.pipeline.EventPrinter;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.trainingdata.sim.Fault;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the injected faults (the ground truth), one line each, when the pipeline's event time
 * reaches them.
 */
final class FaultAnnouncer implements PipelineListener {
  private final EventPrinter printer;
  private final List<Fault> faults;
  private final Instant at;
  private final Instant end;
  private boolean announced;
  private boolean ended;

  /**
   * @param end when the faults stop, or null when they last to the end of the run
   */
  FaultAnnouncer(EventPrinter printer, List<Fault> faults, Instant at, Instant end) {
    this.printer = printer;
    this.faults = List.copyOf(faults);
    this.at = at;
    this.end = end;
    this.announced = faults.isEmpty();
    this.ended = faults.isEmpty() || end == null;
  }

  @Override
  public void onWindow(WindowFeatures window) {
    if (announced && !ended && !window.end().isBefore(end)) {
      ended = true;
      for (Fault fault : faults) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", fault.kind());
        fields.put("service", fault.service());
        fields.put("at", end);
        printer.event("fault_end", fields, "[" + end + "] FAULT ended: " + fault);
      }
    }
    if (announced || window.end().isBefore(at)) {
      return;
    }
    announced = true;
    for (Fault fault : faults) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("kind", fault.kind());
      fields.put("service", fault.service());
      fields.put("at", at);
      printer.event("fault", fields, "[" + at + "] FAULT injected: " + fault);
    }
  }
}
