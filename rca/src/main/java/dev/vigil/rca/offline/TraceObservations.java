package dev.vigil.rca.offline;

import dev.vigil.features.Intervals;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the spans of one trace into {@link SpanObservation}s, one per entry span of a service.
 *
 * <p>An entry is a SERVER or CONSUMER span, or, for spans without a kind (as in traces converted
 * from other formats), a span whose parent is absent or in another service. Its self time is its
 * duration minus the union of its calls to other services (the first spans of another service below
 * it, or its own CLIENT/PRODUCER spans). When the parent of an entry is a span of another service
 * whose only cross-service child is this entry, the parent is the caller's client span of this call
 * and its extra duration is the call gap. The same rules as {@code
 * dev.vigil.features.TraceAnalysis}, plus the gap, which the streaming features do not need. Linear
 * in the spans apart from sorting call intervals.
 */
final class TraceObservations {
  private final Map<String, SpanRecord> byId = new HashMap<>();
  private final Map<String, List<SpanRecord>> children = new HashMap<>();

  private TraceObservations(List<SpanRecord> spans) {
    for (SpanRecord s : spans) {
      byId.putIfAbsent(s.spanId(), s);
    }
    for (SpanRecord s : byId.values()) {
      if (!s.isRoot()) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>(2)).add(s);
      }
    }
  }

  static List<SpanObservation> of(List<SpanRecord> trace) {
    return new TraceObservations(trace).observe();
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
    return new TraceObservations(trace).callPatterns(logs, binMillis);
  }

  private List<CallPattern> callPatterns(LogSeries.Mined logs, long binMillis) {
    List<CallPattern> out = new ArrayList<>();
    for (SpanRecord s : byId.values()) {
      SpanRecord parent = s.isRoot() ? null : byId.get(s.parentSpanId());
      if (isEntry(s, parent)) {
        out.add(pattern(s, logs, binMillis));
      }
    }
    return out;
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
        if (c.isError()) {
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

  private List<SpanObservation> observe() {
    List<SpanObservation> out = new ArrayList<>();
    for (SpanRecord s : byId.values()) {
      SpanRecord parent = s.isRoot() ? null : byId.get(s.parentSpanId());
      if (isEntry(s, parent)) {
        out.add(entry(s, parent));
      }
    }
    return out;
  }

  private static boolean isExit(SpanRecord s) {
    return s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER;
  }

  private static boolean isEntry(SpanRecord s, SpanRecord parent) {
    if (s.kind().isEntry()) {
      return true;
    }
    return !isExit(s) && (parent == null || !parent.service().equals(s.service()));
  }

  private SpanObservation entry(SpanRecord e, SpanRecord parent) {
    List<long[]> calls = new ArrayList<>();
    boolean downstreamError = false;
    Deque<SpanRecord> stack = new ArrayDeque<>(children.getOrDefault(e.spanId(), List.of()));
    while (!stack.isEmpty()) {
      SpanRecord c = stack.pop();
      if (!c.service().equals(e.service()) || isExit(c) || isClientLike(c)) {
        calls.add(new long[] {c.startEpochNanos(), c.endEpochNanos()});
        downstreamError |= c.isError() && !c.service().equals(e.service());
        for (SpanRecord g : children.getOrDefault(c.spanId(), List.of())) {
          downstreamError |= g.isError() && !g.service().equals(e.service());
        }
      } else if (!c.kind().isEntry()) {
        stack.addAll(children.getOrDefault(c.spanId(), List.of()));
      }
    }
    long self =
        e.durationNanos() - Intervals.unionLength(calls, e.startEpochNanos(), e.endEpochNanos());
    String caller = null;
    String callerOperation = null;
    double gap = Double.NaN;
    if (parent != null && !parent.service().equals(e.service())) {
      caller = parent.service();
      callerOperation = parent.name();
      if (crossServiceChildren(parent) == 1) {
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
        Math.max(0, self) / 1e6,
        gap,
        e.isError() && !downstreamError);
  }

  /**
   * A span without a kind whose children are all in other services: the client side of a call in
   * traces that carry no span kinds. Its whole duration is time spent waiting on the call.
   */
  private boolean isClientLike(SpanRecord s) {
    if (s.kind() != SpanKind.UNSPECIFIED && s.kind() != SpanKind.INTERNAL) {
      return false;
    }
    List<SpanRecord> c = children.getOrDefault(s.spanId(), List.of());
    return !c.isEmpty() && crossServiceChildren(s) == c.size();
  }

  private int crossServiceChildren(SpanRecord parent) {
    int n = 0;
    for (SpanRecord c : children.getOrDefault(parent.spanId(), List.of())) {
      if (!c.service().equals(parent.service())) {
        n++;
      }
    }
    return n;
  }
}
