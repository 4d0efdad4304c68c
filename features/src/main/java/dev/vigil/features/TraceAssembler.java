package dev.vigil.features;

import dev.vigil.telemetry.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Groups spans by trace id until the event-time watermark passes the trace's latest span end. Event
 * time is moved by the caller ({@link #advanceTo}), which knows the input's lanes. Completion order
 * is kept in a priority queue holding each pending trace once, under the latest span end it had
 * when queued; a trace that surfaces with a later end since is queued again under that end, so a
 * span costs O(1) unless it moves its trace's deadline, and every queue operation is O(log traces).
 * Traces completed by one call are returned in order of their latest span end.
 */
final class TraceAssembler {
  private static final Comparator<Trace> BY_MAX_END = Comparator.comparingLong(t -> t.maxEnd);

  private final long outOfOrderness;
  private final int maxPending;

  /** Insertion-ordered so that the oldest trace is evicted first when over capacity. */
  private final Map<String, Trace> pending = new LinkedHashMap<>();

  private final PriorityQueue<Trace> deadlines = new PriorityQueue<>();
  private final List<Trace> ready = new ArrayList<>();
  private long maxEventTime = Long.MIN_VALUE;
  private long forced;

  TraceAssembler(long outOfOrdernessNanos, int maxPending) {
    this.outOfOrderness = outOfOrdernessNanos;
    this.maxPending = maxPending;
  }

  /** Adds a span; false if its trace already holds a span with the same id (a redelivery). */
  boolean add(SpanRecord span) {
    Trace t = pending.get(span.traceId());
    if (t == null) {
      t = new Trace(span.traceId());
      pending.put(span.traceId(), t);
    }
    if (!t.ids.add(span.spanId())) {
      return false;
    }
    t.spans.add(AssembledSpan.of(span, t.ids));
    if (span.endEpochNanos() > t.maxEnd) {
      t.maxEnd = span.endEpochNanos();
      if (t.queuedAt == Long.MIN_VALUE) {
        t.queuedAt = t.maxEnd;
        deadlines.add(t);
      }
    }
    while (pending.size() > maxPending) {
      Trace oldest = pending.values().iterator().next();
      pending.remove(oldest.traceId);
      oldest.done = true;
      ready.add(oldest);
      forced++;
    }
    return true;
  }

  /** Moves event time forward (never back); the watermark is this minus the out-of-orderness. */
  void advanceTo(long eventTimeNanos) {
    maxEventTime = Math.max(maxEventTime, eventTimeNanos);
  }

  long watermark() {
    return maxEventTime == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventTime - outOfOrderness;
  }

  /** Traces completed since the last call, in completion order. */
  List<Trace> completed() {
    long wm = watermark();
    List<Trace> due = new ArrayList<>();
    while (!deadlines.isEmpty() && deadlines.peek().queuedAt <= wm) {
      Trace t = deadlines.poll();
      if (t.done) {
        continue; // evicted while queued
      }
      if (t.maxEnd <= wm) {
        pending.remove(t.traceId);
        t.done = true;
        due.add(t);
      } else {
        t.queuedAt = t.maxEnd;
        deadlines.add(t);
      }
    }
    due.sort(BY_MAX_END);
    List<Trace> out = new ArrayList<>(ready.size() + due.size());
    out.addAll(ready);
    out.addAll(due);
    ready.clear();
    return out;
  }

  List<Trace> completeAll() {
    List<Trace> out = new ArrayList<>(ready);
    ready.clear();
    for (Trace t : pending.values()) {
      t.done = true;
      out.add(t);
    }
    pending.clear();
    deadlines.clear();
    return out;
  }

  int pending() {
    return pending.size();
  }

  long forced() {
    return forced;
  }

  /** The spans of one trace, with their ids (the spans' ids in the same order). */
  static final class Trace implements Comparable<Trace> {
    final String traceId;
    final List<AssembledSpan> spans = new ArrayList<>(8);
    final SpanIdSet ids = new SpanIdSet(8);
    long maxEnd = Long.MIN_VALUE;

    /** The deadline it is queued under; Long.MIN_VALUE before it is queued. */
    private long queuedAt = Long.MIN_VALUE;

    private boolean done;

    private Trace(String traceId) {
      this.traceId = traceId;
    }

    @Override
    public int compareTo(Trace o) {
      return Long.compare(queuedAt, o.queuedAt);
    }
  }
}
