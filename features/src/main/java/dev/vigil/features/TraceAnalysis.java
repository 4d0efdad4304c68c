package dev.vigil.features;

import dev.vigil.telemetry.SpanView;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one assembled trace into per-service {@link Observation}s by the {@link TraceRules}: one
 * per entry span, with its self time and own error, taking every CLIENT or PRODUCER span without
 * children as a call to another service. A CLIENT span without children that names its peer ({@link
 * PeerNames}) stands for an uninstrumented dependency, such as a database, which becomes a virtual
 * service. Linear in the number of spans, apart from sorting each entry's call intervals.
 */
final class TraceAnalysis implements TraceRules.Tree {
  private static final int NONE = TraceRules.NONE;

  private final String traceId;

  /** The spans, one per id, at the positions of their ids in the trace's {@link SpanIdSet}. */
  private final AssembledSpan[] spans;

  /** Per span, the position of its parent in {@link #spans}, or NONE. */
  private final int[] parent;

  /** Children of span i: childList[childStart[i] .. childStart[i + 1]). */
  private final int[] childStart;

  private final int[] childList;

  /** Work stack of {@link TraceRules#entry}, made on first use. */
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

  @Override
  public int size() {
    return spans.length;
  }

  @Override
  public int parent(int i) {
    return parent[i];
  }

  @Override
  public int childCount(int i) {
    return childStart[i + 1] - childStart[i];
  }

  @Override
  public int child(int i, int k) {
    return childList[childStart[i] + k];
  }

  @Override
  public SpanView span(int i) {
    return spans[i];
  }

  private List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < spans.length; i++) {
      AssembledSpan s = spans[i];
      if (TraceRules.isEntry(this, i)) {
        out.add(entry(i));
      } else if (s.isExit() && childCount(i) == 0) {
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

  private Observation entry(int i) {
    if (stack == null) {
      stack = new int[spans.length];
    }
    AssembledSpan e = spans[i];
    TraceRules.Entry r = TraceRules.entry(this, i, leaf -> true, stack);
    AssembledSpan p = parent[i] == NONE ? null : spans[parent[i]];
    String caller = p == null || p.service().equals(e.service()) ? null : p.service();
    return new Observation(
        e.service(),
        e.name(),
        caller,
        traceId,
        e.endEpochNanos(),
        e.durationNanos(),
        r.selfNanos(),
        e.error(),
        r.ownError(),
        false);
  }
}
