package dev.vigil.service.pipeline;

import dev.vigil.features.AggregatorStats;
import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.features.WindowFeatures;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.models.Anomaly;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.ServiceAnomalyMonitor;
import dev.vigil.models.WindowAssessment;
import dev.vigil.nlq.DiagnosticContext;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Incident;
import dev.vigil.rca.IncidentTracker;
import dev.vigil.rca.RootCauseRanker;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spans in; windows, anomalies, alerts and incidents out. All processing happens on the thread that
 * calls {@link #accept} (the ingest thread); the read methods used by the HTTP API are safe from
 * any thread.
 */
public final class VigilPipeline implements TelemetrySink {
  private static final Logger log = LoggerFactory.getLogger(VigilPipeline.class);
  private static final int MAX_INCIDENTS = 200;

  private final SpanFeatureAggregator aggregator;
  private final ServiceAnomalyMonitor monitor;
  private final CallGraph graph = new CallGraph();
  private final IncidentTracker incidents;
  private final AlertTracker alerts =
      new AlertTracker(
          IncidentTracker.DEFAULT_MIN_CONSECUTIVE, IncidentTracker.DEFAULT_QUIET_WINDOWS);
  private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
  private final Counter listenerFailures;
  private final Counter metricPoints;
  private final Counter logRecords;

  private final Object snapshotLock = new Object();
  private final Deque<Incident> recentIncidents = new ArrayDeque<>();
  private CallGraph graphSnapshot = new CallGraph();
  private Map<String, ServiceFeatures> latest = Map.of();
  private Instant eventTime = Instant.EPOCH;

  public VigilPipeline(FeatureConfig features, MonitorConfig models, MeterRegistry registry) {
    this.aggregator = new SpanFeatureAggregator(features);
    this.monitor = new ServiceAnomalyMonitor(models);
    this.incidents = new IncidentTracker(RootCauseRanker.ownChange(), monitor::deviation);
    this.listenerFailures = registry.counter("vigil.pipeline.listener_failures");
    this.metricPoints = registry.counter("vigil.pipeline.metric_points");
    this.logRecords = registry.counter("vigil.pipeline.log_records");
    registry.gauge("vigil.features.pending_traces", aggregator, a -> a.stats().pendingTraces());
    registry
        .more()
        .counter("vigil.features.late_spans", List.of(), aggregator, a -> a.stats().lateSpans());
    registry.more().counter("vigil.features.spans", List.of(), aggregator, a -> a.stats().spans());
    registry
        .more()
        .counter("vigil.features.windows", List.of(), aggregator, a -> a.stats().windows());
  }

  public void addListener(PipelineListener listener) {
    listeners.add(listener);
  }

  @Override
  public void accept(Signal signal, TelemetryBatch batch) {
    accept(signal, batch, "");
  }

  @Override
  public void accept(Signal signal, TelemetryBatch batch, String lane) {
    switch (signal) {
      case TRACES -> aggregator.accept(lane, batch.spans()).forEach(this::process);
      // Metric and log features join the service vector in a later iteration; they are
      // decoded, validated and counted so that nothing arrives unseen.
      case METRICS -> metricPoints.increment(batch.metrics().size());
      case LOGS -> logRecords.increment(batch.logs().size());
    }
  }

  /**
   * Everything before the end of the last closed window has been emitted to the listeners; before
   * the first window closes, nothing that carries spans is durable yet (the epoch).
   */
  @Override
  public Optional<Instant> durableUpTo() {
    Instant closed = aggregator.closedUpTo();
    return Optional.of(closed != null ? closed : Instant.EPOCH);
  }

  @Override
  public void lanesAssigned(Signal signal, Collection<String> lanes) {
    if (signal == Signal.TRACES) {
      aggregator.lanesAssigned(lanes);
    }
  }

  @Override
  public void laneIdle(Signal signal, String lane) {
    if (signal == Signal.TRACES) {
      aggregator.laneIdle(lane).forEach(this::process);
    }
  }

  @Override
  public void resumeFrom(Instant durableUpTo) {
    aggregator.resumeFrom(durableUpTo);
  }

  /** Closes every open window, e.g. at the end of a bounded run. */
  public void flush() {
    aggregator.flush().forEach(this::process);
  }

  private void process(WindowFeatures window) {
    graph.update(window);
    WindowAssessment assessment = monitor.assess(window);
    List<Anomaly> anomalies = assessment.anomalies();
    List<Alert> alertEvents = alerts.observe(window, anomalies, assessment.unsettled());
    List<Incident> incidentEvents =
        incidents.observe(window, anomalies, assessment.unsettled(), graph);
    synchronized (snapshotLock) {
      eventTime = window.end();
      if (!window.services().isEmpty()) {
        latest = window.services();
      }
      graphSnapshot = graph.copy();
      for (Incident i : incidentEvents) {
        recentIncidents.removeIf(old -> old.id().equals(i.id()));
        recentIncidents.addFirst(i);
        while (recentIncidents.size() > MAX_INCIDENTS) {
          recentIncidents.removeLast();
        }
      }
    }
    for (PipelineListener l : listeners) {
      notify(l, () -> l.onWindow(window));
      anomalies.forEach(a -> notify(l, () -> l.onAnomaly(a)));
      alertEvents.forEach(a -> notify(l, () -> l.onAlert(a)));
      incidentEvents.forEach(i -> notify(l, () -> l.onIncident(i)));
    }
  }

  private void notify(PipelineListener l, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      listenerFailures.increment();
      log.warn("pipeline listener {} failed; continuing", l.getClass().getSimpleName(), e);
    }
  }

  public List<Incident> incidents() {
    synchronized (snapshotLock) {
      return new ArrayList<>(recentIncidents);
    }
  }

  public CallGraph graph() {
    synchronized (snapshotLock) {
      return graphSnapshot;
    }
  }

  public DiagnosticContext diagnosticContext() {
    synchronized (snapshotLock) {
      return new DiagnosticContext(
          eventTime, graphSnapshot.services(), new ArrayList<>(recentIncidents), latest);
    }
  }

  public AggregatorStats featureStats() {
    return aggregator.stats();
  }
}
