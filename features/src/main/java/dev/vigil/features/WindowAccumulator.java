package dev.vigil.features;

import dev.vigil.telemetry.EpochNanos;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
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

  Instant start() {
    return start;
  }

  Duration size() {
    return size;
  }

  boolean isEmpty() {
    return services.isEmpty();
  }

  /**
   * Adds another accumulator of the same window (one built from other traces, e.g. on another
   * partition): counts and sketches add up, exemplars keep the slowest and the first error traces.
   */
  void merge(WindowAccumulator other) {
    if (!other.start.equals(start) || !other.size.equals(size)) {
      throw new IllegalArgumentException(
          "cannot merge window " + other.start + " into window " + start);
    }
    other.services.forEach((k, v) -> services.computeIfAbsent(k, x -> new Stats()).merge(v));
    mergeNested(other.operations, operations);
    mergeNested(other.edges, edges);
  }

  private static void mergeNested(
      Map<String, Map<String, Stats>> from, Map<String, Map<String, Stats>> into) {
    from.forEach(
        (outer, inner) -> {
          Map<String, Stats> target = into.computeIfAbsent(outer, k -> new HashMap<>());
          inner.forEach((k, v) -> target.computeIfAbsent(k, x -> new Stats()).merge(v));
        });
  }

  void write(DataOutput out) throws IOException {
    out.writeLong(EpochNanos.of(start));
    out.writeLong(size.toNanos());
    out.writeInt(services.size());
    for (Map.Entry<String, Stats> e : services.entrySet()) {
      out.writeUTF(e.getKey());
      e.getValue().write(out);
    }
    writeNested(operations, out);
    writeNested(edges, out);
  }

  private static void writeNested(Map<String, Map<String, Stats>> m, DataOutput out)
      throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<String, Map<String, Stats>> e : m.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().size());
      for (Map.Entry<String, Stats> i : e.getValue().entrySet()) {
        out.writeUTF(i.getKey());
        i.getValue().write(out);
      }
    }
  }

  static WindowAccumulator read(DataInput in) throws IOException {
    Instant start = EpochNanos.toInstant(in.readLong());
    WindowAccumulator acc = new WindowAccumulator(start, Duration.ofNanos(in.readLong()));
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      acc.services.put(in.readUTF(), Stats.read(in));
    }
    readNested(acc.operations, in);
    readNested(acc.edges, in);
    return acc;
  }

  private static void readNested(Map<String, Map<String, Stats>> into, DataInput in)
      throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String outer = in.readUTF();
      int m = in.readInt();
      Map<String, Stats> inner = new HashMap<>();
      for (int j = 0; j < m; j++) {
        inner.put(in.readUTF(), Stats.read(in));
      }
      into.put(outer, inner);
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
      offerSlow(o.durationNanos(), o.traceId());
    }

    void merge(Stats o) {
      total.merge(o.total);
      self.merge(o.self);
      errors += o.errors;
      selfErrors += o.selfErrors;
      for (String t : o.errorTraces) {
        if (errorTraces.size() < EXEMPLARS && !errorTraces.contains(t)) {
          errorTraces.add(t);
          Long nanos = o.errorNanos.get(t);
          if (nanos != null) {
            errorNanos.put(t, nanos);
          }
        }
      }
      for (Map.Entry<Long, String> e : o.slow) {
        offerSlow(e.getKey(), e.getValue());
      }
    }

    private void offerSlow(long durationNanos, String traceId) {
      if (slow.size() < EXEMPLARS || durationNanos > slow.peek().getKey()) {
        slow.add(Map.entry(durationNanos, traceId));
        if (slow.size() > EXEMPLARS) {
          slow.poll();
        }
      }
    }

    void write(DataOutput out) throws IOException {
      total.write(out);
      self.write(out);
      out.writeLong(errors);
      out.writeLong(selfErrors);
      out.writeInt(errorTraces.size());
      for (String t : errorTraces) {
        out.writeUTF(t);
        out.writeLong(errorNanos.getOrDefault(t, -1L));
      }
      out.writeInt(slow.size());
      for (Map.Entry<Long, String> e : slow) {
        out.writeLong(e.getKey());
        out.writeUTF(e.getValue());
      }
    }

    static Stats read(DataInput in) throws IOException {
      Stats s = new Stats();
      s.total.merge(LatencySketch.read(in));
      s.self.merge(LatencySketch.read(in));
      s.errors = in.readLong();
      s.selfErrors = in.readLong();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String t = in.readUTF();
        s.errorTraces.add(t);
        long nanos = in.readLong();
        if (nanos >= 0) {
          s.errorNanos.put(t, nanos);
        }
      }
      int m = in.readInt();
      for (int i = 0; i < m; i++) {
        s.offerSlow(in.readLong(), in.readUTF());
      }
      return s;
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
