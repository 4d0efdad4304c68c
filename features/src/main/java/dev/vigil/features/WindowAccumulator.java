package dev.vigil.features;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/** Mutable per-window aggregation of observations; {@link #close()} freezes it into features. */
final class WindowAccumulator {
  private static final int EXEMPLARS = 3;
  private static final double NANOS_PER_MILLI = 1e6;

  private final Instant start;
  private final Duration size;
  private final Map<String, Stats> services = new HashMap<>();

  /** By service, then operation (nested rather than keyed by pairs: no key per observation). */
  private final Map<String, Map<String, Stats>> operations = new HashMap<>();

  /** By caller, then callee. */
  private final Map<String, Map<String, Stats>> edges = new HashMap<>();

  WindowAccumulator(Instant start, Duration size) {
    this.start = start;
    this.size = size;
  }

  void add(Observation o) {
    services.computeIfAbsent(o.service(), k -> new Stats()).add(o);
    operations
        .computeIfAbsent(o.service(), k -> new HashMap<>())
        .computeIfAbsent(o.operation(), k -> new Stats())
        .add(o);
    if (o.caller() != null) {
      edges
          .computeIfAbsent(o.caller(), k -> new HashMap<>())
          .computeIfAbsent(o.service(), k -> new Stats())
          .add(o);
    }
  }

  WindowFeatures close() {
    Map<String, ServiceFeatures> s = new HashMap<>();
    services.forEach(
        (name, st) ->
            s.put(
                name,
                new ServiceFeatures(
                    name,
                    st.total.count(),
                    st.errors,
                    st.selfErrors,
                    ms(st.total.quantile(0.5)),
                    ms(st.total.quantile(0.95)),
                    ms(st.total.quantile(0.99)),
                    ms(st.self.quantile(0.5)),
                    ms(st.self.quantile(0.95)),
                    st.slowest(),
                    st.errorTraces,
                    st.exemplarMillis())));
    List<OperationFeatures> ops = new ArrayList<>();
    operations.forEach(
        (service, byOperation) ->
            byOperation.forEach(
                (operation, st) -> {
                  List<String> slow = st.slowest();
                  ops.add(
                      new OperationFeatures(
                          service,
                          operation,
                          st.total.count(),
                          st.errors,
                          ms(st.total.quantile(0.5)),
                          ms(st.total.quantile(0.95)),
                          ms(st.self.quantile(0.95)),
                          slow.isEmpty() ? "" : slow.get(0)));
                }));
    ops.sort(
        Comparator.comparing(OperationFeatures::service)
            .thenComparing(OperationFeatures::operation));
    List<EdgeFeatures> es = new ArrayList<>();
    edges.forEach(
        (caller, byCallee) ->
            byCallee.forEach(
                (callee, st) ->
                    es.add(
                        new EdgeFeatures(
                            caller,
                            callee,
                            st.total.count(),
                            st.errors,
                            ms(st.total.quantile(0.5)),
                            ms(st.total.quantile(0.95))))));
    es.sort(Comparator.comparing(EdgeFeatures::caller).thenComparing(EdgeFeatures::callee));
    return new WindowFeatures(start, size, s, ops, es);
  }

  private static double ms(double nanos) {
    return nanos / NANOS_PER_MILLI;
  }

  /** Counters, sketches and exemplars of one group of observations. */
  private static final class Stats {
    final LatencySketch total = new LatencySketch();
    final LatencySketch self = new LatencySketch();
    long errors;
    long selfErrors;
    final List<String> errorTraces = new ArrayList<>(EXEMPLARS);
    final Map<String, Long> errorNanos = new HashMap<>();

    /** Min-heap of (duration, trace id) keeping the slowest few. */
    final PriorityQueue<Map.Entry<Long, String>> slow =
        new PriorityQueue<>(EXEMPLARS + 1, Map.Entry.comparingByKey());

    void add(Observation o) {
      total.add(o.durationNanos());
      self.add(o.selfNanos());
      if (o.error()) {
        errors++;
        if (errorTraces.size() < EXEMPLARS && !errorTraces.contains(o.traceId())) {
          errorTraces.add(o.traceId());
          errorNanos.put(o.traceId(), o.durationNanos());
        }
      }
      if (o.selfError()) {
        selfErrors++;
      }
      if (slow.size() < EXEMPLARS || o.durationNanos() > slow.peek().getKey()) {
        slow.add(Map.entry(o.durationNanos(), o.traceId()));
        if (slow.size() > EXEMPLARS) {
          slow.poll();
        }
      }
    }

    /** The duration of each slow and error exemplar, in milliseconds; the longest for a trace. */
    Map<String, Double> exemplarMillis() {
      Map<String, Double> out = new HashMap<>();
      errorNanos.forEach((id, nanos) -> out.merge(id, ms(nanos), Math::max));
      slow.forEach(e -> out.merge(e.getValue(), ms(e.getKey()), Math::max));
      return out;
    }

    List<String> slowest() {
      List<Map.Entry<Long, String>> entries = new ArrayList<>(slow);
      entries.sort(Map.Entry.<Long, String>comparingByKey().reversed());
      return entries.stream().map(Map.Entry::getValue).distinct().toList();
    }
  }
}
