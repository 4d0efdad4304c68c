package dev.vigil.rca.offline;

import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.TelemetryBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a {@link TelemetryIndex} from recorded telemetry: groups spans into traces, observes each
 * entry span ({@link TraceObservations}), bins the observations into per-operation and per-edge
 * series, turns metric points into resource series ({@link MetricSeries}) and log records into
 * per-template and error-line series ({@link LogSeries}). O(spans + points + log lines), plus
 * sorting.
 */
public final class SeriesExtractor {
  private static final int EXAMPLES_PER_BIN = 3;

  private SeriesExtractor() {}

  public static TelemetryIndex extract(Collection<TelemetryBatch> batches, Duration bin) {
    long binMillis = bin.toMillis();
    if (binMillis <= 0) {
      throw new IllegalArgumentException("bin must be at least 1 ms, got " + bin);
    }
    Map<String, List<SpanRecord>> traces = new HashMap<>();
    List<MetricPoint> points = new ArrayList<>();
    List<LogEntry> logs = new ArrayList<>();
    TreeSet<String> services = new TreeSet<>();
    for (TelemetryBatch b : batches) {
      for (SpanRecord s : b.spans()) {
        traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
      }
      points.addAll(b.metrics());
      logs.addAll(b.logs());
    }
    LogSeries.Mined mined = LogSeries.mine(logs, binMillis);
    SpanBins bins = new SpanBins(binMillis);
    List<CallPattern> patterns = new ArrayList<>();
    CallTargets targets = CallTargets.learn(traces.values());
    for (List<SpanRecord> trace : traces.values()) {
      TraceObservations t = new TraceObservations(trace, targets);
      t.observe().forEach(bins::add);
      t.clientCalls().forEach(bins::add);
      patterns.addAll(t.callPatterns(mined, binMillis));
    }
    services.addAll(bins.services);
    List<Series> series = new ArrayList<>(bins.series());
    Set<String> traced = new HashSet<>();
    for (Series s : series) {
      if (s.key().kind() == SeriesKind.SELF_TIME) {
        traced.add(s.key().service());
      }
    }
    List<Series> metricSeries = MetricSeries.of(points, traced);
    metricSeries.forEach(s -> services.add(s.key().service()));
    series.addAll(metricSeries);
    List<Series> logSeries = mined.series();
    logSeries.forEach(x -> services.add(x.key().service()));
    series.addAll(logSeries);
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Series s : series) {
      if (s.size() > 0) {
        first = Math.min(first, s.time(0));
        last = Math.max(last, s.time(s.size() - 1) + (s.key().kind().metric() ? 0 : binMillis));
      }
    }
    if (first == Long.MAX_VALUE) {
      first = 0;
      last = 0;
    }
    double seconds = Math.max(1, (last - first) / 1000.0);
    List<CallEdge> edges = new ArrayList<>();
    bins.edges.forEach(
        (k, a) ->
            edges.add(
                new CallEdge(k.get(0), k.get(1), a.count, a.errors, a.count / seconds, a.mean())));
    edges.sort(Comparator.comparing(CallEdge::caller).thenComparing(CallEdge::callee));
    List<OperationEdge> opEdges = new ArrayList<>();
    bins.operationEdges.forEach(
        (k, n) -> opEdges.add(new OperationEdge(k.get(0), k.get(1), k.get(2), k.get(3), n[0])));
    // A virtual service that also shows up with spans or metrics of its own is not only inferred.
    Set<String> inferred = new TreeSet<>(bins.virtual);
    inferred.removeAll(bins.instrumented);
    metricSeries.forEach(s -> inferred.remove(s.key().service()));
    logSeries.forEach(s -> inferred.remove(s.key().service()));
    return new TelemetryIndex(
        services,
        series,
        edges,
        opEdges,
        patterns,
        bins.examples(),
        binMillis,
        first,
        last,
        inferred);
  }

  /** Mutable per-bin accumulation of span observations. */
  private static final class SpanBins {
    final long binMillis;
    final TreeSet<String> services = new TreeSet<>();
    final Set<String> virtual = new HashSet<>();
    final Set<String> instrumented = new HashSet<>();
    final Map<SeriesKey, TreeMap<Long, MeanAccumulator>> series = new HashMap<>();
    final Map<List<String>, MeanAccumulator> edges = new TreeMap<>(SpanBins::compareLists);
    final Map<List<String>, long[]> operationEdges = new HashMap<>();
    final Map<List<Object>, PriorityQueue<SpanObservation>> slowest = new HashMap<>();

    SpanBins(long binMillis) {
      this.binMillis = binMillis;
    }

    /**
     * A call through a client span into an instrumented service: 1 when it did not reach the
     * callee, else 0, per caller; a call that did not reach it also counts on the call edge.
     */
    void add(TraceObservations.ClientCall c) {
      long bin = Math.floorDiv(c.startMillis(), binMillis) * binMillis;
      add(
          new SeriesKey(c.callee(), SeriesKind.UNREACHED_CALLS, c.caller(), "ratio"),
          bin,
          c.reached() ? 0 : 1);
      if (!c.reached()) {
        services.add(c.callee());
        services.add(c.caller());
        MeanAccumulator e =
            edges.computeIfAbsent(List.of(c.caller(), c.callee()), k -> new MeanAccumulator());
        e.add(c.millis());
        e.errors += c.failed() ? 1 : 0;
      }
    }

    void add(SpanObservation o) {
      services.add(o.service());
      (o.virtual() ? virtual : instrumented).add(o.service());
      long bin = Math.floorDiv(o.startMillis(), binMillis) * binMillis;
      add(
          new SeriesKey(o.service(), SeriesKind.LATENCY, o.operation(), "ms"),
          bin,
          o.latencyMillis());
      add(
          new SeriesKey(o.service(), SeriesKind.SELF_TIME, o.operation(), "ms"),
          bin,
          o.selfMillis());
      add(
          new SeriesKey(o.service(), SeriesKind.OWN_ERRORS, o.operation(), "ratio"),
          bin,
          o.ownError() ? 1 : 0);
      if (o.caller() != null) {
        services.add(o.caller());
        if (!Double.isNaN(o.gapMillis())) {
          add(
              new SeriesKey(o.service(), SeriesKind.CALL_GAP, o.caller(), "ms"),
              bin,
              o.gapMillis());
        }
        MeanAccumulator e =
            edges.computeIfAbsent(List.of(o.caller(), o.service()), k -> new MeanAccumulator());
        e.add(o.latencyMillis());
        e.errors += o.ownError() ? 1 : 0;
        operationEdges
            .computeIfAbsent(
                List.of(o.caller(), o.callerOperation(), o.service(), o.operation()),
                k -> new long[1])[0]++;
      }
      PriorityQueue<SpanObservation> q =
          slowest.computeIfAbsent(
              List.of(o.service(), o.operation(), bin),
              k -> new PriorityQueue<>(Comparator.comparingDouble(SpanObservation::latencyMillis)));
      q.add(o);
      if (q.size() > EXAMPLES_PER_BIN) {
        q.poll();
      }
    }

    private void add(SeriesKey key, long bin, double value) {
      series
          .computeIfAbsent(key, k -> new TreeMap<>())
          .computeIfAbsent(bin, b -> new MeanAccumulator())
          .add(value);
    }

    List<Series> series() {
      List<Series> out = new ArrayList<>();
      series.forEach(
          (key, byBin) -> {
            long[] t = new long[byBin.size()];
            double[] v = new double[byBin.size()];
            int i = 0;
            for (Map.Entry<Long, MeanAccumulator> e : byBin.entrySet()) {
              t[i] = e.getKey();
              v[i++] = e.getValue().mean();
            }
            out.add(new Series(key, t, v));
          });
      return out;
    }

    List<TraceExample> examples() {
      List<TraceExample> out = new ArrayList<>();
      for (PriorityQueue<SpanObservation> q : slowest.values()) {
        for (SpanObservation o : q) {
          out.add(
              new TraceExample(
                  o.service(), o.operation(), o.startMillis(), o.latencyMillis(), o.traceId()));
        }
      }
      return out;
    }

    private static int compareLists(List<String> a, List<String> b) {
      int c = a.get(0).compareTo(b.get(0));
      return c != 0 ? c : a.get(1).compareTo(b.get(1));
    }
  }

  /** A running mean with a count of errors. */
  static final class MeanAccumulator {
    long count;
    long errors;
    double sum;

    void add(double v) {
      count++;
      sum += v;
    }

    double mean() {
      return count == 0 ? Double.NaN : sum / count;
    }
  }
}
