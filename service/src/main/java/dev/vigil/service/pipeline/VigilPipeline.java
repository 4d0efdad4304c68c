package dev.vigil.service.pipeline;

import dev.vigil.features.AggregatorStats;
import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.SignalConfig;
import dev.vigil.features.SignalFeatureAggregator;
import dev.vigil.features.SignalStats;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.features.WindowFeatures;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.ServiceAnomalyMonitor;
import dev.vigil.models.SignalAnomalyMonitor;
import dev.vigil.models.WindowAssessment;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.forecast.PredictiveAlert;
import dev.vigil.models.forecast.PredictiveAlerter;
import dev.vigil.nlq.DiagnosticContext;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Incident;
import dev.vigil.rca.IncidentTracker;
import dev.vigil.rca.RootCauseRanker;
import dev.vigil.service.alerting.Alert;
import dev.vigil.service.alerting.AlertLifecycle;
import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spans, metrics and logs in; windows, anomalies, alerts and incidents out. All processing happens
 * on the thread that calls {@link #accept} (the Kafka source's sink thread; wrap the pipeline in
 * {@link TelemetrySink#serialized} when several sources feed it); the read methods used by the HTTP
 * API are safe from any thread.
 *
 * <p>Span windows set the pace: when one closes (see {@link SpanFeatureAggregator}), the metric and
 * log features of the same window are attached to it ({@link SignalFeatureAggregator}), the span
 * features are scored by the per-service random cut forest and robust baseline ({@link
 * ServiceAnomalyMonitor}), and every metric and log feature by the default univariate detector
 * ({@link SignalAnomalyMonitor}); a service's anomalies of both kinds become one. When spans flow,
 * only services anomalous by their span features are anomalous, and their metric and log anomalies
 * are evidence; a deployment without traces is judged on metrics and logs alone. When no span
 * arrives at all (a deployment that sends metrics and logs only), metric and log time closes the
 * windows instead, once it has run {@link FeatureConfig#maxLaneSkew()} without a span.
 */
public final class VigilPipeline implements TelemetrySink {
  private static final Logger log = LoggerFactory.getLogger(VigilPipeline.class);
  private static final int MAX_INCIDENTS = 200;

  private final SpanFeatureAggregator aggregator;
  private final SignalFeatureAggregator signals;
  private final ServiceAnomalyMonitor monitor;
  private final SignalAnomalyMonitor signalMonitor;
  private final CallGraph graph = new CallGraph();
  private final IncidentTracker incidents;
  private final AlertLifecycle alerts;
  private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> spanLanes = new HashSet<>();
  private final Set<String> idleSpanLanes = new HashSet<>();
  private final long maxLaneSkewNanos;
  private long oldestSignal = Long.MAX_VALUE;
  private long newestSignal = Long.MIN_VALUE;
  private final Counter listenerFailures;
  private final Counter metricPoints;
  private final Counter logRecords;

  private final Object snapshotLock = new Object();
  private final Deque<Incident> recentIncidents = new ArrayDeque<>();
  private CallGraph graphSnapshot = new CallGraph();
  private Map<String, ServiceFeatures> latest = Map.of();
  private Instant eventTime = Instant.EPOCH;

  /** Whether windows with spans have been seen (given closed, or aggregated here). */
  private boolean spansSeen;

  private long windowsProcessed;
  private Counter stateRefusals;
  private PredictiveAlerter predictive;
  private Supplier<Forecaster> forecasters = () -> null;
  private Forecaster forecaster;
  private Counter predictionFailures;
  private Counter stateRestored;

  public VigilPipeline(FeatureConfig features, MonitorConfig models, MeterRegistry registry) {
    this(features, models, AlertLifecycle.builder().build(), registry, true);
  }

  /** A pipeline whose alerts follow the given lifecycle (renotify interval, silences). */
  public VigilPipeline(
      FeatureConfig features, MonitorConfig models, AlertLifecycle alerts, MeterRegistry registry) {
    this(features, models, alerts, registry, true);
  }

  /**
   * The window engine alone: for a topology that assembles traces and windows elsewhere (the Kafka
   * Streams partitions) and gives this pipeline closed windows ({@link #acceptWindow}) and metric
   * and log batches ({@link #acceptSignals}); it does not register the span-aggregation meters,
   * which those partitions own.
   */
  public static VigilPipeline windowEngine(
      FeatureConfig features, MonitorConfig models, AlertLifecycle alerts, MeterRegistry registry) {
    return new VigilPipeline(features, models, alerts, registry, false);
  }

  private VigilPipeline(
      FeatureConfig features,
      MonitorConfig models,
      AlertLifecycle alerts,
      MeterRegistry registry,
      boolean spanMeters) {
    this.alerts = alerts;
    this.aggregator = new SpanFeatureAggregator(features);
    this.maxLaneSkewNanos = features.maxLaneSkew().toNanos();
    this.signals = new SignalFeatureAggregator(SignalConfig.of(features));
    this.monitor = new ServiceAnomalyMonitor(models);
    this.signalMonitor = SignalAnomalyMonitor.withDefaultDetector(models);
    this.incidents = new IncidentTracker(RootCauseRanker.engine(), monitor::deviation);
    this.listenerFailures = registry.counter("vigil.pipeline.listener_failures");
    this.stateRefusals = registry.counter("vigil.state.refused_parts");
    this.stateRestored = registry.counter("vigil.state.restored_parts");
    this.metricPoints = registry.counter("vigil.pipeline.metric_points");
    this.logRecords = registry.counter("vigil.pipeline.log_records");
    this.predictionFailures = registry.counter("vigil.alerts.prediction_failures");
    // The gauge follows the newest engine: a window engine is rebuilt when its task moves, and
    // Micrometer would otherwise keep reporting (weakly) the first engine's monitor.
    registry.find("vigil.models.watched_series").meters().forEach(registry::remove);
    registry.gauge("vigil.models.watched_series", signalMonitor, m -> m.watchedSeries());
    if (spanMeters) {
      registerSpanMeters(registry);
    }
  }

  private void registerSpanMeters(MeterRegistry registry) {
    registry.gauge("vigil.features.pending_traces", aggregator, a -> a.stats().pendingTraces());
    registry
        .more()
        .counter("vigil.features.late_spans", List.of(), aggregator, a -> a.stats().lateSpans());
    registry.more().counter("vigil.features.spans", List.of(), aggregator, a -> a.stats().spans());
    registry
        .more()
        .counter("vigil.features.windows", List.of(), aggregator, a -> a.stats().windows());
    registry
        .more()
        .counter(
            "vigil.features.split_trace_spans",
            List.of(),
            aggregator,
            a -> a.stats().splitTraceSpans());
    registry
        .more()
        .counter("vigil.features.late_points", List.of(), signals, a -> a.stats().latePoints());
    registry
        .more()
        .counter("vigil.features.late_logs", List.of(), signals, a -> a.stats().lateLogs());
    registry
        .more()
        .counter(
            "vigil.features.counter_resets", List.of(), signals, a -> a.stats().counterResets());
    registry
        .more()
        .counter(
            "vigil.features.evicted_series", List.of(), signals, a -> a.stats().evictedSeries());
  }

  /**
   * A closed span window from elsewhere (merged from the trace-keyed partitions): its metric and
   * log features are attached, it is scored, and incidents and alerts follow, as for a window this
   * pipeline closed itself.
   */
  public void acceptWindow(WindowFeatures spanWindow) {
    if (!spanWindow.services().isEmpty()) {
      spansSeen = true;
    }
    process(spanWindow);
  }

  /** Metric or log items for the windows given to {@link #acceptWindow}; they close nothing. */
  public void acceptSignals(Signal signal, TelemetryBatch batch) {
    switch (signal) {
      case METRICS -> {
        metricPoints.increment(batch.metrics().size());
        signals.acceptMetrics(batch.metrics());
      }
      case LOGS -> {
        logRecords.increment(batch.logs().size());
        signals.acceptLogs(batch.logs());
      }
      case TRACES -> throw new IllegalArgumentException("spans go through acceptWindow");
    }
  }

  /** Metric and log windows before {@code closedUpTo} were closed by an earlier run. */
  public void resumeSignalsFrom(Instant closedUpTo) {
    signals.resumeFrom(closedUpTo);
  }

  /**
   * The learnt state that changed since the last call, by part (null for a part to drop), for a
   * changelogged store; see {@link #restoreState}.
   */
  public Map<String, byte[]> snapshotState() {
    return PipelineState.snapshot(this, windowsProcessed);
  }

  /**
   * Restores parts written by {@link #snapshotState}. A part of another format or schema is refused
   * whole, logged and counted, and that part is learnt anew.
   */
  public void restoreState(Map<String, byte[]> parts) {
    int[] counts = PipelineState.restore(this, parts);
    stateRestored.increment(counts[0]);
    stateRefusals.increment(counts[1]);
  }

  ServiceAnomalyMonitor monitor() {
    return monitor;
  }

  IncidentTracker incidentTracker() {
    return incidents;
  }

  SignalAnomalyMonitor signalMonitor() {
    return signalMonitor;
  }

  /** Lets the batch-trained models in {@code scorer} vote beside the streaming detectors. */
  public void useTrainedModels(dev.vigil.models.registry.TrainedModelScorer scorer) {
    monitor.useTrainedModels(scorer);
  }

  /**
   * Raises predictive alerts with {@code alerter} from now on: each closed window is observed by
   * it, with the forecaster {@code forecasters} gives at that window (none: the alerter only keeps
   * the histories), and the predictive alerts go through the alert lifecycle like the others. Call
   * before the first window.
   */
  public void enablePredictiveAlerts(PredictiveAlerter alerter, Supplier<Forecaster> forecasters) {
    this.predictive = alerter;
    this.forecasters = forecasters;
  }

  /** The predictive alerter, if enabled. */
  public Optional<PredictiveAlerter> predictiveAlerter() {
    return Optional.ofNullable(predictive);
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
      case TRACES -> {
        idleSpanLanes.remove(lane);
        aggregator.accept(lane, batch.spans()).forEach(this::process);
      }
      case METRICS -> {
        metricPoints.increment(batch.metrics().size());
        signals.acceptMetrics(batch.metrics());
        for (MetricPoint p : batch.metrics()) {
          signalTime(p.timeEpochNanos());
        }
        advanceWithoutSpans();
      }
      case LOGS -> {
        logRecords.increment(batch.logs().size());
        signals.acceptLogs(batch.logs());
        for (LogEntry e : batch.logs()) {
          signalTime(e.timeEpochNanos());
        }
        advanceWithoutSpans();
      }
    }
  }

  private void signalTime(long epochNanos) {
    oldestSignal = Math.min(oldestSignal, epochNanos);
    newestSignal = Math.max(newestSignal, epochNanos);
  }

  /**
   * Span windows set the pace; but a deployment that sends no traces must still get its metric and
   * log features scored. So once metric and log time has run {@link FeatureConfig#maxLaneSkew()}
   * past the oldest metric point or log record without a single span (and no span lane has a
   * backlog), windows start at that oldest item and metric and log time closes them. Waiting that
   * long keeps the first spans of an ordinary start-up, which may come after the first metric
   * export, from being late.
   */
  private void advanceWithoutSpans() {
    if (newestSignal == Long.MIN_VALUE
        || aggregator.stats().spans() > 0
        || !idleSpanLanes.containsAll(spanLanes)
        || newestSignal - oldestSignal < maxLaneSkewNanos) {
      return;
    }
    aggregator.startWindowsAt(EpochNanos.toInstant(oldestSignal));
    aggregator.advanceTo(EpochNanos.toInstant(newestSignal)).forEach(this::process);
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
      spanLanes.addAll(lanes);
      aggregator.lanesAssigned(lanes);
    }
  }

  @Override
  public void laneIdle(Signal signal, String lane) {
    if (signal == Signal.TRACES) {
      idleSpanLanes.add(lane);
      aggregator.laneIdle(lane).forEach(this::process);
    }
  }

  @Override
  public void resumeFrom(Instant durableUpTo) {
    aggregator.resumeFrom(durableUpTo);
    signals.resumeFrom(durableUpTo);
  }

  /** Closes every open window, e.g. at the end of a bounded run. */
  public void flush() {
    aggregator.flush().forEach(this::process);
  }

  private void process(WindowFeatures spanWindow) {
    windowsProcessed++;
    WindowFeatures window = spanWindow.withSignals(signals.close(spanWindow.start()));
    graph.update(window);
    WindowAssessment assessment = monitor.assess(window);
    List<Anomaly> signalAnomalies =
        signalMonitor.observe(window.start(), window.size(), window.signals());
    if (spansSeen || aggregator.stats().spans() > 0) {
      // With traces, span features decide whether a service is anomalous; its metric and log
      // anomalies join as evidence. Alone they are too noisy to page on: a service sends dozens
      // of series (a request rate per route moving with a traffic wave), and in the demo sweep
      // they opened warm-up incidents in 2 of 11 runs.
      Set<String> bySpans = new HashSet<>();
      assessment.anomalies().forEach(a -> bySpans.add(a.service()));
      signalAnomalies =
          signalAnomalies.stream().filter(a -> bySpans.contains(a.service())).toList();
    }
    List<Anomaly> anomalies = merge(assessment.anomalies(), signalAnomalies);
    List<Incident> incidentEvents =
        incidents.observe(window, anomalies, assessment.unsettled(), graph);
    List<Alert> alertEvents =
        alerts.observe(window, anomalies, assessment.unsettled(), incidents.open());
    List<Alert> predicted = predict(window);
    if (!predicted.isEmpty()) {
      alertEvents = new ArrayList<>(alertEvents);
      alertEvents.addAll(predicted);
    }
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

  /** The predictive alerts of a window; a failing forecaster is logged and counted, never fatal. */
  private List<Alert> predict(WindowFeatures window) {
    if (predictive == null) {
      return List.of();
    }
    try {
      Forecaster next = forecasters.get();
      if (next != null && next != forecaster) {
        forecaster = next;
        predictive.use(next);
        log.info("predictive alerts: forecasting with {}", next);
      }
      List<PredictiveAlert> raised = predictive.observe(window, monitor);
      return alerts.observePredictions(window.end(), raised, predictive::expecting);
    } catch (RuntimeException e) {
      predictionFailures.increment();
      log.warn("predictive alerts: window {} not forecast", window.start(), e);
      return List.of();
    }
  }

  /**
   * One anomaly per service: a service anomalous on both its span features and its metric or log
   * features gets one with both detectors, the span drivers first, and the exemplars of both.
   */
  static List<Anomaly> merge(List<Anomaly> spans, List<Anomaly> signals) {
    if (signals.isEmpty()) {
      return spans;
    }
    Map<String, Anomaly> byService = new TreeMap<>();
    spans.forEach(a -> byService.put(a.service(), a));
    for (Anomaly s : signals) {
      byService.merge(
          s.service(),
          s,
          (a, b) -> {
            Set<String> detectors = new LinkedHashSet<>(a.detectors());
            detectors.addAll(b.detectors());
            List<FeatureDeviation> drivers = new ArrayList<>(a.drivers());
            drivers.addAll(b.drivers());
            Set<String> traces = new LinkedHashSet<>(a.exemplarTraceIds());
            traces.addAll(b.exemplarTraceIds());
            return new Anomaly(
                a.service(),
                a.windowStart(),
                Math.max(a.grade(), b.grade()),
                List.copyOf(detectors),
                drivers,
                List.copyOf(traces));
          });
    }
    return List.copyOf(byService.values());
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

  /**
   * The incident reported last under this id, if still among the latest {@value #MAX_INCIDENTS}.
   */
  public Optional<Incident> incident(String id) {
    synchronized (snapshotLock) {
      return recentIncidents.stream().filter(i -> i.id().equals(id)).findFirst();
    }
  }

  /** End of the latest closed window: the pipeline's event time (the epoch before the first). */
  public Instant eventTime() {
    synchronized (snapshotLock) {
      return eventTime;
    }
  }

  /** The alert lifecycle: current alerts and silences, read by the HTTP API. */
  public AlertLifecycle alerts() {
    return alerts;
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

  public SignalStats signalStats() {
    return signals.stats();
  }
}
