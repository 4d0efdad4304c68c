package dev.vigil.features;

import dev.vigil.features.MetricSeriesFeatures.Kind;
import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Aggregates metric points and log records into per-service features over event-time tumbling
 * windows, aligned with the span windows of {@link SpanFeatureAggregator} (same size, same epoch
 * alignment), so that the pipeline can attach them to the span window of the same start.
 *
 * <p>A point belongs to the window of its time, a log record to the window of its event time. The
 * pipeline closes windows with {@link #close}, in increasing order, when the span window with that
 * start closes; a point or log record that arrives later for a closed window is counted as late
 * ({@link SignalStats#latePoints()}), never silently dropped. Windows in the future stay open until
 * they are closed.
 *
 * <p>Cumulative series are differenced to their previous point, which may lie in an earlier window,
 * with counter-reset handling ({@link CumulativeDeltas}); points of a batch are taken in time
 * order. See {@link MetricSeriesFeatures} for the features of each kind and {@link LogFeatures} for
 * logs.
 *
 * <p>Not thread-safe: one instance per pipeline. Memory is bounded by {@link
 * SignalConfig#maxSeries()} remembered points (the least recently updated series is forgotten
 * beyond it, {@link SignalStats#evictedSeries()}) and {@link SignalConfig#maxOpenWindows()} windows
 * of at most {@code maxSeries} cells each (beyond them points and logs are refused and counted).
 * Each point costs O(attributes log attributes) for its series name plus, for a cumulative
 * histogram, O(buckets) to difference it.
 */
public final class SignalFeatureAggregator {
  private static final Comparator<MetricPoint> BY_TIME =
      Comparator.comparingLong(MetricPoint::timeEpochNanos);

  private final SignalConfig config;
  private final long windowNanos;
  private final long maxFirstIntervalNanos;
  private final NavigableMap<Long, SignalWindowAccumulator> open = new TreeMap<>();

  /** The newest point of each series, least recently updated first. */
  private final Map<String, MetricPoint> series;

  private long nextWindowToClose = Long.MIN_VALUE;
  private long resumedBefore = Long.MIN_VALUE;
  private long points;
  private long logs;
  private long latePoints;
  private long lateLogs;
  private long replayedPoints;
  private long replayedLogs;
  private long duplicatePoints;
  private long outOfOrderPoints;
  private long counterResets;
  private long evictedSeries;
  private long refusedPoints;
  private long refusedLogs;
  private long conflictingPoints;
  private long windows;

  public SignalFeatureAggregator(SignalConfig config) {
    this.config = config;
    this.windowNanos = config.window().toNanos();
    this.maxFirstIntervalNanos = config.maxFirstInterval().toNanos();
    int max = config.maxSeries();
    this.series =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, MetricPoint> eldest) {
            if (size() > max) {
              evictedSeries++;
              return true;
            }
            return false;
          }
        };
  }

  public SignalConfig config() {
    return config;
  }

  /** Adds metric points; those of one series should come in time order across calls. */
  public void acceptMetrics(Collection<MetricPoint> batch) {
    List<MetricPoint> sorted = new ArrayList<>(batch);
    sorted.sort(BY_TIME);
    for (MetricPoint p : sorted) {
      accept(p);
    }
  }

  public void acceptLogs(Collection<LogEntry> batch) {
    for (LogEntry log : batch) {
      logs++;
      long w = windowOf(log.timeEpochNanos());
      if (w < resumedBefore) {
        replayedLogs++;
      } else if (w < nextWindowToClose) {
        lateLogs++;
      } else {
        SignalWindowAccumulator window = window(w);
        LogAccumulator cell = window == null ? null : window.logs(log.service());
        if (cell == null) {
          refusedLogs++;
        } else {
          cell.add(log);
        }
      }
    }
  }

  private void accept(MetricPoint p) {
    points++;
    Map<String, String> attributes = new TreeMap<>();
    p.attributes().forEach((k, v) -> attributes.put(k, String.valueOf(v)));
    String seriesName = MetricSeriesFeatures.seriesName(p.name(), attributes);
    String key = p.service() + '\n' + seriesName;
    MetricPoint previous = series.get(key);
    if (previous != null && !sameKind(previous, p)) {
      previous = null; // the name now reports another type: a new series
    }
    if (previous != null
        && previous.timeEpochNanos() == p.timeEpochNanos()
        && previous.startEpochNanos() == p.startEpochNanos()) {
      duplicatePoints++;
      return;
    }
    MetricPoint increment = null;
    if (isCumulative(p)) {
      if (previous != null && p.timeEpochNanos() <= previous.timeEpochNanos()) {
        outOfOrderPoints++;
        return;
      }
      CumulativeDeltas.Increment inc = CumulativeDeltas.of(previous, p, maxFirstIntervalNanos);
      counterResets += inc.reset() ? 1 : 0;
      increment = inc.delta();
      series.put(key, p);
    } else {
      if (previous == null || p.timeEpochNanos() >= previous.timeEpochNanos()) {
        series.put(key, p);
      }
      increment = p instanceof MetricPoint.Gauge || isLevel(p) ? null : p;
    }
    long w = windowOf(p.timeEpochNanos());
    if (w < resumedBefore) {
      replayedPoints++;
      return;
    }
    if (w < nextWindowToClose) {
      latePoints++;
      return;
    }
    SignalWindowAccumulator window = window(w);
    SeriesAccumulator cell =
        window == null ? null : window.series(p.service(), seriesName, attributes, p);
    if (cell == null) {
      refusedPoints++;
    } else if (cell.kind() != Kind.of(p)) {
      conflictingPoints++;
    } else {
      cell.observe(p);
      if (increment != null) {
        cell.addIncrement(increment);
      }
    }
  }

  /** Cumulative sums that are monotonic, cumulative histograms, summaries. */
  private static boolean isCumulative(MetricPoint p) {
    if (p instanceof MetricPoint.Sum s) {
      return s.monotonic() && !SeriesAccumulator.isDelta(s.temporality());
    } else if (p instanceof MetricPoint.Histogram h) {
      return !SeriesAccumulator.isDelta(h.temporality());
    } else if (p instanceof MetricPoint.ExponentialHistogram h) {
      return !SeriesAccumulator.isDelta(h.temporality());
    }
    return p instanceof MetricPoint.Summary;
  }

  /** A cumulative up-down counter: its value is a level, like a gauge's. */
  private static boolean isLevel(MetricPoint p) {
    return p instanceof MetricPoint.Sum s
        && !s.monotonic()
        && !SeriesAccumulator.isDelta(s.temporality());
  }

  private static boolean sameKind(MetricPoint a, MetricPoint b) {
    return Kind.of(a) == Kind.of(b) && isCumulative(a) == isCumulative(b);
  }

  private long windowOf(long epochNanos) {
    return Math.floorDiv(epochNanos, windowNanos) * windowNanos;
  }

  private SignalWindowAccumulator window(long start) {
    SignalWindowAccumulator w = open.get(start);
    if (w == null && open.size() < config.maxOpenWindows()) {
      w = new SignalWindowAccumulator(windowNanos, config.maxSeries());
      open.put(start, w);
    }
    return w;
  }

  /**
   * Returns and forgets the features of the window {@code [windowStart, windowStart + window)} per
   * service, sorted by service; empty when nothing arrived for it or it was already closed. Points
   * and logs arriving for it afterwards are late. Open windows before it, which the caller skipped,
   * are discarded and their content counted as late.
   */
  public Map<String, ServiceSignals> close(Instant windowStart) {
    long start = windowOf(EpochNanos.of(windowStart));
    if (start < nextWindowToClose) {
      return Map.of();
    }
    while (!open.isEmpty() && open.firstKey() < start) {
      SignalWindowAccumulator skipped = open.pollFirstEntry().getValue();
      latePoints += skipped.points();
      lateLogs += skipped.logs();
    }
    SignalWindowAccumulator w = open.remove(start);
    nextWindowToClose = start + windowNanos;
    windows++;
    return w == null ? Map.of() : w.close();
  }

  /**
   * Resumes after a restart: windows before {@code closedUpTo} (the end of the last window an
   * earlier run closed) were already reported, so points and logs in them, read again, are counted
   * as replayed and left out of every window. Replayed cumulative points still become their series'
   * base, so the first window after the restart has rates. Only before the first item.
   *
   * @throws IllegalStateException if points or logs were already accepted
   */
  public void resumeFrom(Instant closedUpTo) {
    if (points > 0 || logs > 0 || nextWindowToClose != Long.MIN_VALUE) {
      throw new IllegalStateException("resumeFrom must come before the first point or log");
    }
    resumedBefore = windowOf(EpochNanos.of(closedUpTo));
    nextWindowToClose = resumedBefore;
  }

  public SignalStats stats() {
    return new SignalStats(
        points,
        logs,
        latePoints,
        lateLogs,
        replayedPoints,
        replayedLogs,
        duplicatePoints,
        outOfOrderPoints,
        counterResets,
        series.size(),
        evictedSeries,
        refusedPoints,
        refusedLogs,
        conflictingPoints,
        windows,
        open.size());
  }
}
