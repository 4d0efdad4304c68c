package dev.vigil.features;

import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The rules by which the spans of one trace become the requests of its services, shared by the live
 * trace analysis ({@link TraceAnalysis}, over assembled spans) and the offline one ({@code rca}'s
 * {@code TraceObservations}, over recorded spans), so that the running service and {@code vigil
 * analyze} read a trace the same way.
 *
 * <ul>
 *   <li>An <em>entry</em> of a service is a SERVER or CONSUMER span, or, for a span without a kind
 *       (INTERNAL or UNSPECIFIED, as in traces converted from other formats), one whose parent is
 *       absent or in another service ({@link #isEntry}).
 *   <li>Its <em>calls</em> are the spans below it, in its own service, down to the first spans of
 *       other services: those spans themselves, the service's CLIENT and PRODUCER spans, and its
 *       spans without a kind whose children are all in other services (the client side of a call in
 *       traces that carry no kinds, {@link #isClientLike}). Its <em>self time</em> is its duration
 *       minus the union of its calls' intervals ({@link #entry}).
 *   <li>Its error is its <em>own</em> unless one of its calls failed in the service called: a span
 *       of another service with an error, an error below one of its calls in another service, or a
 *       failed CLIENT or PRODUCER span without children whose callee is known (the callee refused
 *       the call or is down). What "known" means is the one thing the two analyses decide apart:
 *       the live one takes every such span as a call to another service; the offline one knows the
 *       callees the whole recording shows ({@code CallTargets}).
 * </ul>
 *
 * Linear in the spans below an entry in its service, apart from sorting its call intervals.
 */
public final class TraceRules {
  /** No span: the parent of a root. */
  public static final int NONE = -1;

  /** A trace as a tree of spans addressed by position. */
  public interface Tree {
    int size();

    /** The position of the span's parent, or {@link #NONE}. */
    int parent(int i);

    int childCount(int i);

    /** The position of the span's {@code k}-th child. */
    int child(int i, int k);

    SpanView span(int i);
  }

  /** What an entry span measured of its service's work. */
  public record Entry(long selfNanos, boolean ownError) {}

  private TraceRules() {}

  /** Whether span {@code i} is a request its service handled (see the class comment). */
  public static boolean isEntry(Tree t, int i) {
    SpanKind kind = t.span(i).kind();
    if (kind.isEntry()) {
      return true;
    }
    if (kind.isExit()) {
      return false;
    }
    int p = t.parent(i);
    return p == NONE || !t.span(p).service().equals(t.span(i).service());
  }

  /**
   * Whether span {@code i} has no kind and all its children are in other services: the client side
   * of a call in traces that carry no span kinds, whose whole duration is waiting on the call.
   */
  public static boolean isClientLike(Tree t, int i) {
    SpanKind kind = t.span(i).kind();
    if (kind != SpanKind.UNSPECIFIED && kind != SpanKind.INTERNAL) {
      return false;
    }
    int n = t.childCount(i);
    return n > 0 && crossServiceChildren(t, i) == n;
  }

  /** How many children of span {@code i} are in another service. */
  public static int crossServiceChildren(Tree t, int i) {
    int n = 0;
    String service = t.span(i).service();
    for (int k = 0; k < t.childCount(i); k++) {
      if (!t.span(t.child(i, k)).service().equals(service)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The self time and own error of entry span {@code e} (see the class comment).
   *
   * @param leafCallKnown whether a CLIENT or PRODUCER span without children, at that position, is a
   *     call whose callee is known, so that its failure is the callee's
   * @param stack work space of at least {@link Tree#size()} positions
   */
  public static Entry entry(Tree t, int e, IntPredicate leafCallKnown, int[] stack) {
    String service = t.span(e).service();
    List<long[]> calls = new ArrayList<>();
    boolean downstreamError = false;
    int top = 0;
    for (int k = 0; k < t.childCount(e); k++) {
      stack[top++] = t.child(e, k); // a tree: each span is pushed at most once
    }
    while (top > 0) {
      int c = stack[--top];
      SpanView call = t.span(c);
      boolean other = !call.service().equals(service);
      SpanKind kind = call.kind();
      if (other || kind.isExit() || isClientLike(t, c)) {
        calls.add(new long[] {call.startEpochNanos(), call.endEpochNanos()});
        downstreamError |= call.isError() && other;
        downstreamError |=
            call.isError() && kind.isExit() && t.childCount(c) == 0 && leafCallKnown.test(c);
        for (int k = 0; k < t.childCount(c); k++) {
          int g = t.child(c, k);
          SpanView below = t.span(g);
          downstreamError |= below.isError() && !below.service().equals(service);
        }
      } else if (!kind.isEntry()) {
        for (int k = 0; k < t.childCount(c); k++) {
          stack[top++] = t.child(c, k);
        }
      }
    }
    SpanView entry = t.span(e);
    long start = entry.startEpochNanos();
    long end = entry.endEpochNanos();
    long self = end - start - Intervals.unionLength(calls, start, end);
    return new Entry(Math.max(0, self), entry.isError() && !downstreamError);
  }
}
