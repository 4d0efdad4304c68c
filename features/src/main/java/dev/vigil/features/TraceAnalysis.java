package dev.vigil.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one assembled trace into per-service {@link Observation}s.
 *
 * <p>A span is an <em>entry</em> of its service when its kind is SERVER or CONSUMER, or, for spans
 * without a kind (INTERNAL or UNSPECIFIED, as in traces converted from other formats), when its
 * parent is absent or belongs to another service. The downstream time of an entry is the union of
 * the intervals of its outgoing calls: CLIENT and PRODUCER spans of the same service, and child
 * spans of other services; its self time is the rest. A CLIENT span without children that names its
 * peer ({@link PeerNames}) stands for an uninstrumented dependency, such as a database, which
 * becomes a virtual service. Linear in the number of spans, apart from sorting each entry's call
 * intervals.
 */
final class TraceAnalysis {
  private static final int NONE = -1;

  private final String traceId;

  /** The spans, one per id, at the positions of their ids in the trace's {@link SpanIdSet}. */
  private final AssembledSpan[] spans;

  /** Per span, the position of its parent in {@link #spans}, or NONE. */
  private final int[] parent;

  /** Children of span i: childList[childStart[i] .. childStart[i + 1]). */
  private final int[] childStart;

  private final int[] childList;

  /** Work stack of {@link #entry}, made on first use. */
  private int[] stack;

  private TraceAnalysis(String traceId, List<AssembledSpan> spans, SpanIdSet ids) {
    this.traceId = traceId;
    int n = spans.size();
    this.spans = spans.toArray(new AssembledSpan[n]);
    this.parent = new int[n];
    this.childStart = new int[n + 1];
    for (int i = 0; i < n; i++) {
      AssembledSpan s = this.spans[i];
      parent[i] = s.root() ? NONE : ids.indexOf(s.parentKey(), s.parentOther());
      if (parent[i] != NONE) {
        childStart[parent[i] + 1]++;
      }
    }
    for (int i = 0; i < n; i++) {
      childStart[i + 1] += childStart[i];
    }
    this.childList = new int[childStart[n]];
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      int p = parent[i];
      if (p != NONE) {
        childList[childStart[p] + fill[p]++] = i;
      }
    }
  }

  /**
   * Observations of an assembled trace: {@code spans} one per id, in the order of their ids in
   * {@code ids}.
   */
  static List<Observation> observe(String traceId, List<AssembledSpan> spans, SpanIdSet ids) {
    return new TraceAnalysis(traceId, spans, ids).observations();
  }

  private boolean hasChildren(int i) {
    return childStart[i + 1] > childStart[i];
  }

  private List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < spans.length; i++) {
      AssembledSpan s = spans[i];
      AssembledSpan p = parent[i] == NONE ? null : spans[parent[i]];
      if (isEntry(s, p)) {
        out.add(entry(i, p));
      } else if (s.isExit() && !hasChildren(i)) {
        String peer = s.peer();
        if (peer != null && !peer.equals(s.service())) {
          out.add(
              new Observation(
                  peer,
                  s.name(),
                  s.service(),
                  traceId,
                  s.endEpochNanos(),
                  s.durationNanos(),
                  s.durationNanos(),
                  s.error(),
                  s.error(),
                  true));
        }
      }
    }
    return out;
  }

  private static boolean isEntry(AssembledSpan s, AssembledSpan parent) {
    if (s.kind().isEntry()) {
      return true;
    }
    if (s.isExit()) {
      return false;
    }
    return parent == null || !parent.service().equals(s.service());
  }

  private Observation entry(int entry, AssembledSpan parent) {
    AssembledSpan e = spans[entry];
    List<long[]> calls = new ArrayList<>();
    boolean downstreamError = false;
    if (stack == null) {
      stack = new int[spans.length]; // a tree: each span is pushed at most once
    }
    int top = 0;
    for (int k = childStart[entry]; k < childStart[entry + 1]; k++) {
      stack[top++] = childList[k];
    }
    while (top > 0) {
      int ci = stack[--top];
      AssembledSpan c = spans[ci];
      if (!c.service().equals(e.service())) {
        calls.add(new long[] {c.startEpochNanos(), c.endEpochNanos()});
        downstreamError |= c.error();
      } else if (c.isExit()) {
        calls.add(new long[] {c.startEpochNanos(), c.endEpochNanos()});
        if (!hasChildren(ci)) {
          downstreamError |= c.error();
        }
        for (int k = childStart[ci]; k < childStart[ci + 1]; k++) {
          AssembledSpan g = spans[childList[k]];
          downstreamError |= g.error() && !g.service().equals(e.service());
        }
      } else if (!c.kind().isEntry()) {
        for (int k = childStart[ci]; k < childStart[ci + 1]; k++) {
          stack[top++] = childList[k];
        }
      }
    }
    long self =
        e.durationNanos() - Intervals.unionLength(calls, e.startEpochNanos(), e.endEpochNanos());
    String caller =
        parent == null || parent.service().equals(e.service()) ? null : parent.service();
    return new Observation(
        e.service(),
        e.name(),
        caller,
        traceId,
        e.endEpochNanos(),
        e.durationNanos(),
        Math.max(0, self),
        e.error(),
        e.error() && !downstreamError,
        false);
  }
}
