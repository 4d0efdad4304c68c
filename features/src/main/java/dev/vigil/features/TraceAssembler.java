package dev.vigil.features;

import dev.vigil.telemetry.SpanRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Groups spans by trace id until the event-time watermark passes the trace's latest span end. Event
 * time is moved by the caller ({@link #advanceTo}), which knows the input's lanes. Completion order
 * is kept in a priority queue of (deadline, trace) entries; an entry made stale by a later span of
 * its trace is skipped when it surfaces, so every operation is O(log n).
 */
final class TraceAssembler {
  private final long outOfOrderness;
  private final int maxPending;

  /** Insertion-ordered so that the oldest trace is evicted first when over capacity. */
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
  private final List<List<SpanRecord>> ready = new ArrayList<>();
  private long maxEventTime = Long.MIN_VALUE;
  private long forced;

  TraceAssembler(long outOfOrdernessNanos, int maxPending) {
    this.outOfOrderness = outOfOrdernessNanos;
    this.maxPending = maxPending;
  }

  /** Adds a span; false if its trace already holds a span with the same id (a redelivery). */
  boolean add(SpanRecord span) {
    Pending p = pending.computeIfAbsent(span.traceId(), id -> new Pending());
    if (!p.spanIds.add(span.spanId())) {
      return false;
    }
    p.spans.add(span);
    if (span.endEpochNanos() > p.maxEnd) {
      p.maxEnd = span.endEpochNanos();
      deadlines.add(new Deadline(p.maxEnd, span.traceId()));
    }
    while (pending.size() > maxPending) {
      String oldest = pending.keySet().iterator().next();
      ready.add(pending.remove(oldest).spans);
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
  List<List<SpanRecord>> completed() {
    long wm = watermark();
    while (!deadlines.isEmpty() && deadlines.peek().maxEnd <= wm) {
      Deadline d = deadlines.poll();
      Pending p = pending.get(d.traceId);
      if (p != null && p.maxEnd == d.maxEnd) {
        pending.remove(d.traceId);
        ready.add(p.spans);
      }
    }
    List<List<SpanRecord>> out = new ArrayList<>(ready);
    ready.clear();
    return out;
  }

  List<List<SpanRecord>> completeAll() {
    List<List<SpanRecord>> out = new ArrayList<>(ready);
    ready.clear();
    pending.values().forEach(p -> out.add(p.spans));
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

  private static final class Pending {
    final List<SpanRecord> spans = new ArrayList<>(8);
    final Set<String> spanIds = new HashSet<>(8);
    long maxEnd = Long.MIN_VALUE;
  }

  private record Deadline(long maxEnd, String traceId) implements Comparable<Deadline> {
    @Override
    public int compareTo(Deadline o) {
      return Long.compare(maxEnd, o.maxEnd);
    }
  }
}
