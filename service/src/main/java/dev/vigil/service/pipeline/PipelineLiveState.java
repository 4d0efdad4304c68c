package dev.vigil.service.pipeline;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.nlq.AlertNote;
import dev.vigil.nlq.DiagnosticContext;
import dev.vigil.nlq.LiveState;
import dev.vigil.rca.CallGraph;
import dev.vigil.rca.Incident;
import dev.vigil.service.alerting.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The live state the diagnostic tools read, from a running {@link VigilPipeline}: its incidents,
 * call graph and event time, plus a bounded history of closed windows and the recent alerts, which
 * this listener keeps as the pipeline emits them. Windows older than {@link #DEFAULT_HISTORY}
 * behind the newest are dropped (and the tools say there is no data for them); at most {@link
 * #DEFAULT_MAX_ALERTS} alerts are kept. Thread-safe: the pipeline thread writes, HTTP threads read.
 */
public final class PipelineLiveState implements LiveState, PipelineListener {

  /** How much window history is kept. */
  public static final Duration DEFAULT_HISTORY = Duration.ofHours(6);

  /** How many alerts are kept. */
  public static final int DEFAULT_MAX_ALERTS = 500;

  private final java.util.function.Supplier<VigilPipeline> pipelines;
  private final Duration history;
  private VigilPipeline empty;
  private final Deque<WindowFeatures> windows = new ArrayDeque<>();
  private final Deque<AlertNote> alerts = new ArrayDeque<>();
  private long alertCount;

  private PipelineLiveState(
      java.util.function.Supplier<VigilPipeline> pipelines, Duration history) {
    this.pipelines = pipelines;
    this.history = history;
  }

  /**
   * A live state over whichever window engine runs on this instance (the supplier gives null while
   * none does: then nothing is known); the caller registers it as a listener of each engine.
   */
  public static PipelineLiveState over(java.util.function.Supplier<VigilPipeline> pipelines) {
    return new PipelineLiveState(pipelines, DEFAULT_HISTORY);
  }

  private synchronized VigilPipeline pipeline() {
    VigilPipeline p = pipelines.get();
    if (p != null) {
      return p;
    }
    if (empty == null) {
      empty =
          VigilPipeline.windowEngine(
              dev.vigil.features.FeatureConfig.defaults(),
              dev.vigil.models.MonitorConfig.defaults(),
              dev.vigil.service.alerting.AlertLifecycle.builder().build(),
              new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }
    return empty;
  }

  /** A live state over the pipeline, registered as its listener from now on. */
  public static PipelineLiveState attach(VigilPipeline pipeline) {
    return attach(pipeline, DEFAULT_HISTORY);
  }

  public static PipelineLiveState attach(VigilPipeline pipeline, Duration history) {
    if (history.isNegative() || history.isZero()) {
      throw new IllegalArgumentException("history must be positive, got " + history);
    }
    PipelineLiveState state = new PipelineLiveState(() -> pipeline, history);
    pipeline.addListener(state);
    return state;
  }

  @Override
  public synchronized void onWindow(WindowFeatures window) {
    windows.addLast(window);
    Instant oldest = window.end().minus(history);
    while (!windows.isEmpty() && windows.peekFirst().start().isBefore(oldest)) {
      windows.removeFirst();
    }
  }

  @Override
  public synchronized void onAlert(Alert alert) {
    alertCount++;
    alerts.addFirst(
        new AlertNote(
            "alert-" + alertCount,
            alert.service(),
            alert.status(),
            alert.at(),
            alert.grade(),
            alert.drivers().stream().map(FeatureDeviation::feature).toList()));
    while (alerts.size() > DEFAULT_MAX_ALERTS) {
      alerts.removeLast();
    }
  }

  /** A snapshot of everything, for a question or a page: consistent within itself. */
  public DiagnosticContext snapshot() {
    DiagnosticContext ctx = pipeline().diagnosticContext();
    List<WindowFeatures> w;
    List<AlertNote> a;
    synchronized (this) {
      w = new ArrayList<>(windows);
      a = new ArrayList<>(alerts);
    }
    return new DiagnosticContext(
        ctx.now(), ctx.services(), ctx.incidents(), w, pipeline().graph(), a);
  }

  @Override
  public Instant now() {
    return pipeline().diagnosticContext().now();
  }

  @Override
  public Set<String> services() {
    return pipeline().graph().services();
  }

  @Override
  public synchronized List<WindowFeatures> windows(Instant from, Instant to) {
    return windows.stream()
        .filter(w -> !w.start().isBefore(from) && w.start().isBefore(to))
        .toList();
  }

  @Override
  public List<Incident> incidents() {
    return pipeline().incidents();
  }

  @Override
  public CallGraph graph() {
    return pipeline().graph();
  }

  @Override
  public synchronized List<AlertNote> alerts() {
    return List.copyOf(alerts);
  }
}
