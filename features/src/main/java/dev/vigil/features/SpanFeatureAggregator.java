package dev.vigil.features;

import dev.vigil.telemetry.SpanRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
  private final Map<String, Long> laneEventTime = new HashMap<>();
  private final long maxLaneSkewNanos;
  private long nextWindowToClose = Long.MIN_VALUE;
  private long watermark = Long.MIN_VALUE;
  private long spans;
  private long traces;
  private long lateSpans;
  private long windows;

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
    long newest = Long.MIN_VALUE;
    for (SpanRecord s : batch) {
      spans++;
      assembler.add(s);
      newest = Math.max(newest, s.endEpochNanos());
    }
    if (newest != Long.MIN_VALUE) {
      laneEventTime.merge(lane, newest, Math::max);
      assembler.advanceTo(eventTimeOverLanes());
    }
    assembler.completed().forEach(this::observe);
    watermark = assembler.watermark();
    return closeUpTo(watermark - closeDelayNanos);
  }

  /**
   * Advances event time without data (for example when a source has been idle for longer than the
   * window), then returns the windows that closed.
   */
  public List<WindowFeatures> advanceTo(Instant eventTime) {
    assembler.advanceTo(eventTime.getEpochSecond() * 1_000_000_000L + eventTime.getNano());
    assembler.completed().forEach(this::observe);
    watermark = assembler.watermark();
    return closeUpTo(watermark - closeDelayNanos);
  }

  private long eventTimeOverLanes() {
    long newest = Long.MIN_VALUE;
    for (long t : laneEventTime.values()) {
      newest = Math.max(newest, t);
    }
    long slowest = newest;
    for (long t : laneEventTime.values()) {
      if (t >= newest - maxLaneSkewNanos) {
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
        spans, traces, assembler.forced(), lateSpans, windows, assembler.pending());
  }

  private void observe(List<SpanRecord> trace) {
    traces++;
    for (Observation o : TraceAnalysis.observe(trace)) {
      long windowStart = Math.floorDiv(o.endEpochNanos(), windowNanos) * windowNanos;
      if (nextWindowToClose != Long.MIN_VALUE && windowStart < nextWindowToClose) {
        lateSpans++;
        continue;
      }
      open.computeIfAbsent(
              windowStart, k -> new WindowAccumulator(toInstant(k), Duration.ofNanos(windowNanos)))
          .add(o);
    }
  }

  private List<WindowFeatures> closeUpTo(long eventTime) {
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
    List<WindowFeatures> closed = new ArrayList<>();
    while (nextWindowToClose + windowNanos <= limit) {
      WindowAccumulator acc = open.remove(nextWindowToClose);
      closed.add(
          acc != null
              ? acc.close()
              : new WindowFeatures(
                  toInstant(nextWindowToClose), config.window(), Map.of(), List.of(), List.of()));
      nextWindowToClose += windowNanos;
      windows++;
    }
    return closed;
  }

  private static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }
}
