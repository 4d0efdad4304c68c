package dev.vigil.service.cli;

import dev.vigil.features.FeatureConfig;
import dev.vigil.models.MonitorConfig;
import dev.vigil.service.pipeline.PipelineLiveState;
import dev.vigil.service.pipeline.SimulatorFeed;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One simulated run for the question evaluation: the shop with zero, one or two faults from the end
 * of the warm-up, fed through the whole pipeline in this process.
 *
 * @param name for the report, e.g. {@code latency:catalog}
 * @param faults the faults injected (empty: a healthy system)
 */
record NlqScenario(String name, List<Fault> faults) {

  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static final Duration WARM_UP = Duration.ofMinutes(20);
  static final Duration FAULT = Duration.ofMinutes(6);

  NlqScenario {
    faults = List.copyOf(faults);
  }

  /** Latency, errors, two simultaneous faults and a healthy system, on the shop topology. */
  static List<NlqScenario> standard() {
    return List.of(
        new NlqScenario("latency:catalog", List.of(Fault.latency("catalog"))),
        new NlqScenario("errors:payment", List.of(Fault.errors("payment"))),
        new NlqScenario(
            "latency:shipping+errors:recommendation",
            List.of(Fault.latency("shipping"), Fault.errors("recommendation"))),
        new NlqScenario("healthy", List.of()));
  }

  /** The pipeline and its live state after the run, and the feed that knows every trace id. */
  record Run(VigilPipeline pipeline, PipelineLiveState state, SimulatorFeed feed) {}

  Run run(long seed) {
    VigilPipeline pipeline = pipeline();
    PipelineLiveState state = PipelineLiveState.attach(pipeline);
    return new Run(pipeline, state, simulate(pipeline, seed));
  }

  /** A pipeline for a simulated run. */
  static VigilPipeline pipeline() {
    // runFor produces simulated time much faster than real time; allow for the compressed clock
    // as the end-to-end test does.
    FeatureConfig features = FeatureConfig.defaults().withOutOfOrderness(Duration.ofMinutes(1));
    return new VigilPipeline(features, MonitorConfig.defaults(), new SimpleMeterRegistry());
  }

  /** Runs the scenario into the pipeline, as fast as it goes; the feed knows the trace ids. */
  SimulatorFeed simulate(VigilPipeline pipeline, long seed) {
    SimulatorFeed feed = new SimulatorFeed(pipeline);
    Instant faultAt = START.plus(WARM_UP);
    FaultSchedule schedule = FaultSchedule.none();
    for (Fault f : faults) {
      schedule = schedule.and(FaultSchedule.at(f, faultAt));
    }
    try (MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(Topology.shop())
            .exporter(feed.spans())
            .metricExporter(feed.metrics())
            .logExporter(feed.logs())
            .seed(seed)
            .startTime(START)
            .faults(schedule)
            .build()) {
      sim.runFor(WARM_UP.plus(FAULT));
    }
    return feed;
  }
}
