package dev.vigil.rca.offline;

import dev.vigil.features.TraceRules;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.SpanView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the spans of one trace into {@link SpanObservation}s, one per entry span of a service, and
 * into the {@link CallPattern}s of its requests, by the same {@link TraceRules} as the live trace
 * analysis: which spans are entries, their self time (duration minus the union of their calls to
 * other services) and whether their error is their own. Beside those, the offline view has the call
 * gap: when the parent of an entry is a span of another service whose only cross-service child is
 * this entry, the parent is the caller's client span of this call and its extra duration is the
 * gap.
 *
 * <p>A CLIENT or PRODUCER span without children is resolved by {@link CallTargets}, learnt from the
 * whole recording: when it went to an uninstrumented dependency (a database or cache seen only in
 * its callers' client spans), that dependency becomes a virtual service observed through the client
 * span (its latency and error); when it went to an instrumented service whose server span is
 * missing (refused, or the service is down), it is a call that did not reach its callee ({@link
 * ClientCall}). Either way its failure is the callee's, not the caller's own (the rules' known leaf
 * call). Linear in the spans apart from sorting call intervals.
 */
final class TraceObservations implements TraceRules.Tree {
  /** The operation under which the calls of one caller's client spans into a service are seen. */
  static String clientView(String caller, String clientSpan) {
    return clientSpan + " (client spans of " + caller + ")";
  }

  private final Map<String, SpanRecord> byId = new HashMap<>();
  private final Map<String, List<SpanRecord>> children = new HashMap<>();
  private final CallTargets targets;
  private List<ClientCall> clientCalls;
  private List<SpanObservation> virtualObservations;

  /** The spans by position for {@link TraceRules}, in {@link #byId}'s order. */
  private final SpanRecord[] spans;

  private final Map<SpanRecord, Integer> position = new IdentityHashMap<>();

  /** Work stack of {@link TraceRules#entry}, made on first use. */
  private int[] stack;

  TraceObservations(List<SpanRecord> spans, CallTargets targets) {
    this.targets = targets;
    for (SpanRecord s : spans) {
      byId.putIfAbsent(s.spanId(), s);
    }
    for (SpanRecord s : byId.values()) {
      if (!s.isRoot()) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>(2)).add(s);
      }
    }
    this.spans = byId.values().toArray(new SpanRecord[0]);
    for (int i = 0; i < this.spans.length; i++) {
      position.put(this.spans[i], i);
    }
  }

  @Override
  public int size() {
    return spans.length;
  }

  @Override
  public int parent(int i) {
    SpanRecord p = spans[i].isRoot() ? null : byId.get(spans[i].parentSpanId());
    return p == null ? TraceRules.NONE : position.get(p);
  }

  @Override
  public int childCount(int i) {
    return children.getOrDefault(spans[i].spanId(), List.of()).size();
  }

  @Override
  public int child(int i, int k) {
    return position.get(children.get(spans[i].spanId()).get(k));
  }

  @Override
  public SpanView span(int i) {
    return spans[i];
  }

  static List<SpanObservation> of(List<SpanRecord> trace) {
    return new TraceObservations(trace, CallTargets.NONE).observe();
  }

  /** The call pattern of every entry span of one trace ({@link CallPattern}), without logs. */
  static List<CallPattern> patterns(List<SpanRecord> trace) {
    return patterns(trace, LogSeries.Mined.NONE, 1);
  }

  /**
   * The call pattern of every entry span of one trace, with the log events of its spans.
   *
   * @param logs the mined log lines of the recording
   * @param binMillis the bin width of {@link LogSeries.Mined#coveredBins()}
   */
  static List<CallPattern> patterns(List<SpanRecord> trace, LogSeries.Mined logs, long binMillis) {
    return new TraceObservations(trace, CallTargets.NONE).callPatterns(logs, binMillis);
  }

  /**
   * A call through a CLIENT span to an instrumented service: whether the callee's span is below it.
   *
   * @param reached the callee's span is below the client span
   * @param failed the client span has an error status
   */
  record ClientCall(
      String callee,
      String caller,
      String clientSpan,
      long startMillis,
      double millis,
      boolean reached,
      boolean failed) {}

  /** Where a CLIENT or PRODUCER span without children went, or null. */
  private CallTargets.Target leafTarget(SpanRecord s) {
    return children.containsKey(s.spanId()) ? null : targets.resolve(s);
  }

  /**
   * The calls through CLIENT spans to instrumented services: those that reached their callee (a
   * span of another service below) and those without children that {@link CallTargets} resolves.
   */
  List<ClientCall> clientCalls() {
    if (clientCalls != null) {
      return clientCalls;
    }
    List<ClientCall> out = new ArrayList<>();
    for (SpanRecord s : byId.values()) {
      if (s.kind() != SpanKind.CLIENT) {
        continue;
      }
      String callee = null;
      boolean reached = false;
      List<SpanRecord> c = children.get(s.spanId());
      if (c == null) {
        CallTargets.Target t = targets.resolve(s);
        if (t != null && !t.virtual()) {
          callee = t.service();
        }
      } else {
        for (SpanRecord x : c) {
          if (!x.service().equals(s.service())) {
            callee = x.service();
            reached = true;
            break;
          }
        }
      }
      if (callee != null) {
        out.add(
            new ClientCall(
                callee,
                s.service(),
                s.name(),
                s.startEpochNanos() / 1_000_000L,
                s.durationNanos() / 1e6,
                reached,
                s.isError()));
      }
    }
    clientCalls = out;
    return out;
  }

  List<CallPattern> callPatterns(LogSeries.Mined logs, long binMillis) {
    List<CallPattern> out = new ArrayList<>();
    for (int i = 0; i < spans.length; i++) {
      if (TraceRules.isEntry(this, i)) {
        out.add(pattern(spans[i], logs, binMillis));
      }
    }
    for (ClientCall c : clientCalls()) {
      out.add(clientViewPattern(c));
    }
    for (SpanObservation o : virtualObservations()) {
      Set<String> features = o.ownError() ? Set.of(CallPattern.ERROR_STATUS) : Set.of();
      out.add(new CallPattern(o.service(), o.operation(), o.startMillis(), features, Set.of()));
    }
    return out;
  }

  /**
   * A call into a service as its caller's client span saw it: whether it reached the service, and
   * whether it failed. A callee that starts refusing calls changes here even though it has no
   * requests of its own any more.
   */
  private static CallPattern clientViewPattern(ClientCall c) {
    Set<String> features = new HashSet<>();
    if (!c.reached()) {
      features.add(CallPattern.NOT_REACHED);
      if (c.failed()) {
        features.add(CallPattern.ERROR_STATUS);
      }
    }
    return new CallPattern(
        c.callee(), clientView(c.caller(), c.clientSpan()), c.startMillis(), features, Set.of());
  }

  /**
   * Walks the entry's own spans down to the first spans of other services: the local span names,
   * the called operations and an error status are the features, and the templates logged under the
   * entry and its local spans the log events. O(spans below the entry in its service).
   */
  private CallPattern pattern(SpanRecord e, LogSeries.Mined logs, long binMillis) {
    Set<String> features = new HashSet<>();
    Set<CallPattern.OperationKey> callees = new HashSet<>();
    Set<String> logEvents = new HashSet<>(logsOf(e, logs));
    if (e.isError()) {
      features.add(CallPattern.ERROR_STATUS);
    }
    Deque<SpanRecord> stack = new ArrayDeque<>(children.getOrDefault(e.spanId(), List.of()));
    while (!stack.isEmpty()) {
      SpanRecord c = stack.pop();
      if (!c.service().equals(e.service()) || c.kind().isEntry()) {
        features.add(c.service() + ":" + c.name());
        callees.add(new CallPattern.OperationKey(c.service(), c.name()));
      } else {
        features.add(c.name());
        CallTargets.Target t = leafTarget(c);
        if (t != null) {
          // A call whose callee has no span below it: the call is an event of the callee, as its
          // client span saw it, and its failure is the callee's.
          String op = t.virtual() ? c.name() : clientView(e.service(), c.name());
          callees.add(new CallPattern.OperationKey(t.service(), op));
        } else if (c.isError()) {
          features.add(CallPattern.ERROR_STATUS);
        }
        logEvents.addAll(logsOf(c, logs));
        stack.addAll(children.getOrDefault(c.spanId(), List.of()));
      }
    }
    long start = e.startEpochNanos() / 1_000_000L;
    boolean covered = logs.coveredBins().contains(Math.floorDiv(start, binMillis) * binMillis);
    return new CallPattern(e.service(), e.name(), start, features, callees, logEvents, covered);
  }

  private static Set<String> logsOf(SpanRecord s, LogSeries.Mined logs) {
    return logs.eventsBySpan().getOrDefault(LogSeries.spanKey(s.traceId(), s.spanId()), Set.of());
  }

  /** The entries of the trace's services, and the calls into virtual services. */
  List<SpanObservation> observe() {
    List<SpanObservation> out = new ArrayList<>();
    for (int i = 0; i < spans.length; i++) {
      if (TraceRules.isEntry(this, i)) {
        out.add(entry(i));
      }
    }
    out.addAll(virtualObservations());
    return out;
  }

  /**
   * One observation per CLIENT or PRODUCER span without children that went to an uninstrumented
   * dependency: the dependency's request as its caller saw it (the client span's latency, all of it
   * the dependency's own time, and its error).
   */
  private List<SpanObservation> virtualObservations() {
    if (virtualObservations != null) {
      return virtualObservations;
    }
    List<SpanObservation> out = new ArrayList<>();
    for (SpanRecord s : byId.values()) {
      if (!s.kind().isExit()) {
        continue;
      }
      CallTargets.Target t = leafTarget(s);
      if (t == null || !t.virtual()) {
        continue;
      }
      double millis = s.durationNanos() / 1e6;
      out.add(
          new SpanObservation(
              t.service(),
              s.name(),
              s.service(),
              s.name(),
              s.traceId(),
              s.startEpochNanos() / 1_000_000L,
              millis,
              millis,
              Double.NaN,
              s.isError(),
              true));
    }
    virtualObservations = out;
    return out;
  }

  private SpanObservation entry(int i) {
    if (stack == null) {
      stack = new int[spans.length];
    }
    SpanRecord e = spans[i];
    TraceRules.Entry r =
        TraceRules.entry(this, i, leaf -> targets.resolve(spans[leaf]) != null, stack);
    int p = parent(i);
    SpanRecord parent = p == TraceRules.NONE ? null : spans[p];
    String caller = null;
    String callerOperation = null;
    double gap = Double.NaN;
    if (parent != null && !parent.service().equals(e.service())) {
      caller = parent.service();
      callerOperation = parent.name();
      if (TraceRules.crossServiceChildren(this, p) == 1) {
        gap = Math.max(0, parent.durationNanos() - e.durationNanos()) / 1e6;
      }
    }
    return new SpanObservation(
        e.service(),
        e.name(),
        caller,
        callerOperation,
        e.traceId(),
        e.startEpochNanos() / 1_000_000L,
        e.durationNanos() / 1e6,
        r.selfNanos() / 1e6,
        gap,
        r.ownError(),
        false);
  }
}
