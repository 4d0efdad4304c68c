package dev.vigil.service.streams;

import dev.vigil.features.AggregatorStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Span-aggregation meters summed over the trace partitions this instance runs. Tasks come and go
 * with rebalances, so each adds the change of its own statistics rather than registering meters of
 * its own. Also the figures the demo's summary prints.
 */
public final class StreamsMeters {
  private final Counter spans;
  private final Counter traces;
  private final Counter lateSpans;
  private final Counter splitTraceSpans;
  private final Counter duplicateSpans;
  private final Counter windowPartials;
  private final Counter latePartialSpans;
  private final AtomicLong pendingTraces = new AtomicLong();
  private final AtomicLong spansTotal = new AtomicLong();
  private final AtomicLong lateTotal = new AtomicLong();
  private final AtomicLong splitTotal = new AtomicLong();
  private final AtomicLong windowsTotal = new AtomicLong();

  public StreamsMeters(MeterRegistry registry) {
    spans = registry.counter("vigil.features.spans");
    traces = registry.counter("vigil.features.traces");
    lateSpans = registry.counter("vigil.features.late_spans");
    splitTraceSpans = registry.counter("vigil.features.split_trace_spans");
    duplicateSpans = registry.counter("vigil.features.duplicate_spans");
    windowPartials = registry.counter("vigil.streams.window_partials");
    latePartialSpans = registry.counter("vigil.streams.late_partial_spans");
    registry.gauge("vigil.features.pending_traces", pendingTraces);
  }

  /** Adds what changed between two statistics of one task. */
  void add(AggregatorStats before, AggregatorStats after) {
    long s = after.spans() - before.spans();
    spans.increment(s);
    spansTotal.addAndGet(s);
    traces.increment(after.traces() - before.traces());
    long late = after.lateSpans() - before.lateSpans();
    lateSpans.increment(late);
    lateTotal.addAndGet(late);
    long split = after.splitTraceSpans() - before.splitTraceSpans();
    splitTraceSpans.increment(split);
    splitTotal.addAndGet(split);
    duplicateSpans.increment(after.duplicateSpans() - before.duplicateSpans());
    pendingTraces.addAndGet(after.pendingTraces() - before.pendingTraces());
  }

  /** A task's pending traces joined (positive) or left (negative) this instance. */
  void pending(long change) {
    pendingTraces.addAndGet(change);
  }

  void partialsSent(int n) {
    windowPartials.increment(n);
  }

  /** Spans of partials that reached the engine after their window had closed. */
  void latePartial(long requests) {
    latePartialSpans.increment(requests);
    lateTotal.addAndGet(requests);
  }

  void windowClosed() {
    windowsTotal.incrementAndGet();
  }

  public long spans() {
    return spansTotal.get();
  }

  /** Late spans of partials that reached the engine after their window closed. */
  public double latePartialSpans() {
    return latePartialSpans.count();
  }

  public long lateSpans() {
    return lateTotal.get();
  }

  public long splitTraceSpans() {
    return splitTotal.get();
  }

  public long windows() {
    return windowsTotal.get();
  }
}
