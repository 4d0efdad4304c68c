package dev.vigil.features;

import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.SpanRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles spans into traces and aggregates them into event-time tumbling windows.
 *
 * <p>The watermark is the newest span end seen minus {@link FeatureConfig#outOfOrderness()}. A
 * trace is complete once the watermark passes its latest span end; its observations go to the
 * windows of their end times. A window closes, and is returned by {@link #accept}, once the
 * watermark passes its end plus {@link FeatureConfig#maxTraceDuration()}. Windows are returned in
 * order and without gaps (a window with no traffic has no services). Spans of a trace completed
 * after its window closed are counted as late ({@link AggregatorStats#lateSpans()}).
 *
 * <p>Not thread-safe: one instance per stream partition or per offline analysis. Memory is bounded
 * by {@link FeatureConfig#maxPendingTraces()} plus the open windows.
 */
public final class SpanFeatureAggregator {
  private final FeatureConfig config;
  private final long windowNanos;
  private final long closeDelayNanos;
  private final TraceAssembler assembler;
  private final NavigableMap<Long, WindowAccumulator> open = new TreeMap<>();

  /** The window {@link #accumulator} gave last (null once windows were closed), and its start. */
  private WindowAccumulator lastAccumulator;

  private long lastWindowStart;

  /** Newest span end per lane; Long.MIN_VALUE for an assigned lane that sent nothing yet. */
  private final Map<String, Long> laneEventTime = new HashMap<>();

  private final Set<String> idleLanes = new HashSet<>();
  private final long maxLaneSkewNanos;
  private long nextWindowToClose = Long.MIN_VALUE;
  private long watermark = Long.MIN_VALUE;
  private long spans;
  private long traces;
  private long lateSpans;
  private long windows;
  private long duplicateSpans;
  private long replayedSpans;
  private long splitTraceSpans;

  /** Windows before this were closed and counted by an earlier run (see {@link #resumeFrom}). */
  private long resumedBefore = Long.MIN_VALUE;

  /**
   * Span ids of completed traces whose windows are still open, so that a redelivered span does not
   * start a second copy of its trace; by the window of the trace's end, to forget them when it
   * closes.
   */
  private final Map<String, SpanIdSet> completedSpanIds = new HashMap<>();

  private final NavigableMap<Long, List<String>> completedByWindow = new TreeMap<>();

  public SpanFeatureAggregator(FeatureConfig config) {
    this.config = config;
    this.windowNanos = config.window().toNanos();
    this.closeDelayNanos = config.maxTraceDuration().toNanos();
    this.maxLaneSkewNanos = config.maxLaneSkew().toNanos();
    this.assembler =
        new TraceAssembler(config.outOfOrderness().toNanos(), config.maxPendingTraces());
  }

  public FeatureConfig config() {
    return config;
  }

  /** Adds spans of a single-lane input; see {@link #accept(String, Collection)}. */
  public List<WindowFeatures> accept(Collection<SpanRecord> batch) {
    return accept("", batch);
  }

  /**
   * Adds spans that came through one lane of the input and returns the windows that closed as a
   * result, oldest first.
   *
   * <p>A lane is a part of the input that arrives in its own order: a Kafka partition, a file.
   * Lanes are read at different paces (a consumer fetches partitions in turn), so event time is the
   * slowest lane's newest span end, as in Flink's per-split watermarks; a lane more than {@link
   * FeatureConfig#maxLaneSkew()} behind the newest is treated as idle and does not hold it back.
   */
  public List<WindowFeatures> accept(String lane, Collection<SpanRecord> batch) {
    ingest(lane, batch);
    return closeForWatermark();
  }

  private void ingest(String lane, Collection<SpanRecord> batch) {
    long newest = Long.MIN_VALUE;
    for (SpanRecord s : batch) {
      SpanIdSet done = completedSpanIds.get(s.traceId());
      if ((done != null && done.contains(s.spanId())) || !assembler.add(s)) {
        duplicateSpans++;
        continue;
      }
      if (done != null) {
        splitTraceSpans++;
      }
      spans++;
      newest = Math.max(newest, s.endEpochNanos());
    }
    idleLanes.remove(lane);
    if (newest != Long.MIN_VALUE) {
      laneEventTime.merge(lane, newest, Math::max);
      advance();
    }
    assembler.completed().forEach(this::observe);
    watermark = assembler.watermark();
  }

  /**
   * As {@link #accept(String, Collection)}, but returns the closed windows as mergeable partials:
   * for an aggregator that sees only part of the traces (one partition of a trace-keyed stream),
   * whose windows are merged with the other parts' before features are taken.
   */
  public List<WindowPartial> acceptPartials(String lane, Collection<SpanRecord> batch) {
    ingest(lane, batch);
    return watermark == Long.MIN_VALUE ? List.of() : closePartialsUpTo(watermark - closeDelayNanos);
  }

  /** As {@link #flush()}, with the windows as mergeable partials. */
  public List<WindowPartial> flushPartials() {
    assembler.completeAll().forEach(this::observe);
    return closePartialsUpTo(Long.MAX_VALUE);
  }

  /**
   * Advances event time without spans (for example when a source has been idle for longer than the
   * window), then returns the windows that closed.
   */
  public List<WindowFeatures> advanceTo(Instant eventTime) {
    long t = EpochNanos.of(eventTime);
    assembler.advanceTo(t);
    assembler.completed().forEach(this::observe);
    watermark = assembler.watermark();
    return closeForWatermark();
  }

  /**
   * Makes the window holding {@code eventTime} the first one, when no window exists yet, so that
   * windows close from there even if no span ever arrives (a deployment that sends metrics and logs
   * only; see {@link #advanceTo}). Spans that arrive later for earlier windows are late.
   */
  public void startWindowsAt(Instant eventTime) {
    if (nextWindowToClose == Long.MIN_VALUE && open.isEmpty()) {
      long t = EpochNanos.of(eventTime);
      nextWindowToClose = Math.max(Math.floorDiv(t, windowNanos) * windowNanos, resumedBefore);
    }
  }

  /**
   * Lanes the input will send spans through (for Kafka, the assigned partitions): event time waits
   * for each of them until it sends spans or is reported idle, so that a partition read after the
   * others does not find its windows closed.
   */
  public void lanesAssigned(Collection<String> lanes) {
    for (String lane : lanes) {
      laneEventTime.putIfAbsent(lane, Long.MIN_VALUE);
    }
  }

  /**
   * A lane has nothing more to read for now: it stops holding event time back until its next span.
   * Returns the windows that closed as a result.
   */
  public List<WindowFeatures> laneIdle(String lane) {
    if (!idleLanes.add(lane)) {
      return List.of();
    }
    advance();
    assembler.completed().forEach(this::observe);
    watermark = assembler.watermark();
    return closeForWatermark();
  }

  private void advance() {
    long t = eventTimeOverLanes();
    if (t != Long.MIN_VALUE) {
      assembler.advanceTo(t);
    }
  }

  /** The slowest active lane's newest span end; Long.MIN_VALUE while an active lane sent none. */
  private long eventTimeOverLanes() {
    long newest = Long.MIN_VALUE;
    for (long t : laneEventTime.values()) {
      newest = Math.max(newest, t);
    }
    if (newest == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long slowest = newest;
    for (Map.Entry<String, Long> e : laneEventTime.entrySet()) {
      long t = e.getValue();
      if (idleLanes.contains(e.getKey())) {
        continue;
      }
      if (t == Long.MIN_VALUE || t >= newest - maxLaneSkewNanos) {
        slowest = Math.min(slowest, t);
      }
    }
    return slowest;
  }

  /** Completes every pending trace and closes every open window (end of input). */
  public List<WindowFeatures> flush() {
    assembler.completeAll().forEach(this::observe);
    return closeUpTo(Long.MAX_VALUE);
  }

  public AggregatorStats stats() {
    return new AggregatorStats(
        spans,
        traces,
        assembler.forced(),
        lateSpans,
        windows,
        assembler.pending(),
        duplicateSpans,
        replayedSpans,
        splitTraceSpans);
  }

  /**
   * The end of the last closed window: every span ending before it has been counted in a window
   * that was returned and will not change. Null before the first window closes.
   */
  public Instant closedUpTo() {
    return nextWindowToClose == Long.MIN_VALUE ? null : EpochNanos.toInstant(nextWindowToClose);
  }

  /**
   * Resumes after a restart: windows before {@code closedUpTo} (as reported by an earlier run's
   * {@link #closedUpTo()}) were already returned, so spans that fall in them, read again, are
   * counted as replayed and ignored, and the first window returned starts there. Only before the
   * first span.
   *
   * @throws IllegalStateException if spans were already accepted
   */
  public void resumeFrom(Instant closedUpTo) {
    if (spans > 0 || nextWindowToClose != Long.MIN_VALUE) {
      throw new IllegalStateException("resumeFrom must come before the first span");
    }
    long t = EpochNanos.of(closedUpTo);
    resumedBefore = Math.floorDiv(t, windowNanos) * windowNanos;
    nextWindowToClose = resumedBefore;
  }

  private void observe(TraceAssembler.Trace trace) {
    traces++;
    remember(trace);
    for (Observation o : TraceAnalysis.observe(trace.traceId, trace.spans, trace.ids)) {
      long windowStart = Math.floorDiv(o.endEpochNanos(), windowNanos) * windowNanos;
      if (windowStart < resumedBefore) {
        replayedSpans++;
        continue;
      }
      if (nextWindowToClose != Long.MIN_VALUE && windowStart < nextWindowToClose) {
        lateSpans++;
        continue;
      }
      accumulator(windowStart).add(o);
    }
  }

  /**
   * The open window starting at {@code windowStart}, made on first use. The last one is kept at
   * hand: the observations of a trace, and of traces completed together, mostly fall in the same
   * window, and the map lookup boxes its key.
   */
  private WindowAccumulator accumulator(long windowStart) {
    if (lastAccumulator == null || lastWindowStart != windowStart) {
      lastAccumulator =
          open.computeIfAbsent(
              windowStart,
              k -> new WindowAccumulator(EpochNanos.toInstant(k), Duration.ofNanos(windowNanos)));
      lastWindowStart = windowStart;
    }
    return lastAccumulator;
  }

  private void remember(TraceAssembler.Trace trace) {
    String traceId = trace.traceId;
    long end = trace.maxEnd;
    SpanIdSet ids = completedSpanIds.putIfAbsent(traceId, trace.ids);
    if (ids != null) {
      ids.addAll(trace.ids);
    }
    completedByWindow
        .computeIfAbsent(Math.floorDiv(end, windowNanos) * windowNanos, k -> new ArrayList<>())
        .add(traceId);
  }

  /** Forgets completed traces whose window has closed: a span of theirs now is late anyway. */
  private void forgetClosed() {
    while (!completedByWindow.isEmpty() && completedByWindow.firstKey() < nextWindowToClose) {
      completedByWindow.pollFirstEntry().getValue().forEach(completedSpanIds::remove);
    }
  }

  /** Closes the windows the watermark has passed by the close delay; none before a watermark. */
  private List<WindowFeatures> closeForWatermark() {
    if (watermark == Long.MIN_VALUE) {
      return List.of();
    }
    return closeUpTo(watermark - closeDelayNanos);
  }

  private List<WindowFeatures> closeUpTo(long eventTime) {
    List<WindowPartial> partials = closePartialsUpTo(eventTime);
    List<WindowFeatures> closed = new ArrayList<>(partials.size());
    partials.forEach(p -> closed.add(p.close()));
    return closed;
  }

  private List<WindowPartial> closePartialsUpTo(long eventTime) {
    if (nextWindowToClose == Long.MIN_VALUE) {
      if (open.isEmpty()) {
        return List.of();
      }
      nextWindowToClose = open.firstKey();
    }
    long limit = eventTime;
    if (eventTime == Long.MAX_VALUE) {
      limit = open.isEmpty() ? nextWindowToClose : open.lastKey() + windowNanos;
    }
    List<WindowPartial> closed = new ArrayList<>();
    lastAccumulator = null;
    while (nextWindowToClose + windowNanos <= limit) {
      WindowAccumulator acc = open.remove(nextWindowToClose);
      closed.add(
          new WindowPartial(
              acc != null
                  ? acc
                  : new WindowAccumulator(
                      EpochNanos.toInstant(nextWindowToClose), config.window())));
      nextWindowToClose += windowNanos;
      windows++;
    }
    forgetClosed();
    return closed;
  }
}
