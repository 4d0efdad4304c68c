package dev.vigil.features;

import dev.vigil.telemetry.AttributeValues;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one assembled trace into per-service {@link Observation}s.
 *
 * <p>A span is an <em>entry</em> of its service when its kind is SERVER or CONSUMER, or, for spans
 * without a kind (INTERNAL or UNSPECIFIED, as in traces converted from other formats), when its
 * parent is absent or belongs to another service. The downstream time of an entry is the union of
 * the intervals of its outgoing calls: CLIENT and PRODUCER spans of the same service, and child
 * spans of other services; its self time is the rest. A CLIENT span without children that names its
 * peer ({@code peer.service}, {@code db.namespace}, {@code db.name}, {@code server.address} or
 * {@code db.system}) stands for an uninstrumented dependency, such as a database, which becomes a
 * virtual service. Linear in the number of spans, apart from sorting each entry's call intervals.
 */
final class TraceAnalysis {
  private static final String[] PEER_ATTRIBUTES = {
    "peer.service", "db.namespace", "db.name", "server.address", "db.system"
  };

  private final Map<String, SpanRecord> byId = new HashMap<>();
  private final Map<String, List<SpanRecord>> children = new HashMap<>();

  private TraceAnalysis(List<SpanRecord> spans) {
    for (SpanRecord s : spans) {
      byId.putIfAbsent(s.spanId(), s);
    }
    for (SpanRecord s : byId.values()) {
      if (!s.isRoot()) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>(2)).add(s);
      }
    }
  }

  static List<Observation> observe(List<SpanRecord> spans) {
    return new TraceAnalysis(spans).observations();
  }

  private List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (SpanRecord s : byId.values()) {
      SpanRecord parent = s.isRoot() ? null : byId.get(s.parentSpanId());
      if (isEntry(s, parent)) {
        out.add(entry(s, parent));
      } else if (isExit(s) && !children.containsKey(s.spanId())) {
        String peer = peerName(s);
        if (peer != null && !peer.equals(s.service())) {
          out.add(
              new Observation(
                  peer,
                  s.name(),
                  s.service(),
                  s.traceId(),
                  s.endEpochNanos(),
                  s.durationNanos(),
                  s.durationNanos(),
                  s.isError(),
                  s.isError(),
                  true));
        }
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
    if (isExit(s)) {
      return false;
    }
    return parent == null || !parent.service().equals(s.service());
  }

  private Observation entry(SpanRecord e, SpanRecord parent) {
    List<long[]> calls = new ArrayList<>();
    boolean downstreamError = false;
    Deque<SpanRecord> stack = new ArrayDeque<>(children.getOrDefault(e.spanId(), List.of()));
    while (!stack.isEmpty()) {
      SpanRecord c = stack.pop();
      List<SpanRecord> grandChildren = children.getOrDefault(c.spanId(), List.of());
      if (!c.service().equals(e.service())) {
        calls.add(new long[] {c.startEpochNanos(), c.endEpochNanos()});
        downstreamError |= c.isError();
      } else if (isExit(c)) {
        calls.add(new long[] {c.startEpochNanos(), c.endEpochNanos()});
        if (grandChildren.isEmpty()) {
          downstreamError |= c.isError();
        }
        for (SpanRecord g : grandChildren) {
          downstreamError |= g.isError() && !g.service().equals(e.service());
        }
      } else if (!c.kind().isEntry()) {
        grandChildren.forEach(stack::push);
      }
    }
    long self = e.durationNanos() - unionLength(calls, e.startEpochNanos(), e.endEpochNanos());
    String caller =
        parent == null || parent.service().equals(e.service()) ? null : parent.service();
    return new Observation(
        e.service(),
        e.name(),
        caller,
        e.traceId(),
        e.endEpochNanos(),
        e.durationNanos(),
        Math.max(0, self),
        e.isError(),
        e.isError() && !downstreamError,
        false);
  }

  /** Total length of the union of intervals, clipped to [from, to]. */
  static long unionLength(List<long[]> intervals, long from, long to) {
    if (intervals.isEmpty()) {
      return 0;
    }
    intervals.sort((a, b) -> Long.compare(a[0], b[0]));
    long total = 0;
    long curStart = Long.MIN_VALUE;
    long curEnd = Long.MIN_VALUE;
    for (long[] iv : intervals) {
      long s = Math.max(iv[0], from);
      long t = Math.min(iv[1], to);
      if (t <= s) {
        continue;
      }
      if (s > curEnd) {
        total += Math.max(0, curEnd - curStart);
        curStart = s;
        curEnd = t;
      } else {
        curEnd = Math.max(curEnd, t);
      }
    }
    return total + Math.max(0, curEnd - curStart);
  }

  private static String peerName(SpanRecord s) {
    for (String key : PEER_ATTRIBUTES) {
      String v = AttributeValues.string(s.attributes(), key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
