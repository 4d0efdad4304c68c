package dev.vigil.service.cli;

import dev.vigil.features.WindowFeatures;
import dev.vigil.service.pipeline.EventPrinter;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.trainingdata.sim.Fault;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints the injected fault (the ground truth) when the pipeline's event time reaches it. */
final class FaultAnnouncer implements PipelineListener {
  private final EventPrinter printer;
  private final Fault fault;
  private final Instant at;
  private boolean announced;

  FaultAnnouncer(EventPrinter printer, Fault fault, Instant at) {
    this.printer = printer;
    this.fault = fault;
    this.at = at;
    this.announced = fault == null;
  }

  @Override
  public void onWindow(WindowFeatures window) {
    if (announced || window.end().isBefore(at)) {
      return;
    }
    announced = true;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("kind", fault.kind());
    fields.put("service", fault.service());
    fields.put("at", at);
    printer.event("fault", fields, "[" + at + "] FAULT injected: " + fault);
  }
}
