package dev.vigil.features;

import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.SpanView;

/**
 * What {@link TraceAnalysis} needs of a span, kept while its trace is pending instead of the {@link
 * SpanRecord}. A pending trace can wait a minute of event time for its last span, so at a high span
 * rate hundreds of thousands of spans are held at once, and every young collection copies them: one
 * object per span here (its strings are the decoder's shared instances) against six or more for a
 * record (two id strings and their arrays, the attribute map and its table, boxed values). The
 * span's own id lives in its trace's {@link SpanIdSet}, at the same position.
 *
 * @param parentKey the parent's {@link SpanIdSet#key}; meaningless for a root
 * @param parentOther the parent id when it is not canonical, else null
 * @param peer for a CLIENT or PRODUCER span, the uninstrumented peer it names, else null
 */
record AssembledSpan(
    String service,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    boolean error,
    boolean root,
    long parentKey,
    String parentOther,
    String peer)
    implements SpanView {

  /** The span, its parent keyed with {@code keys} (any set: keys do not depend on the set). */
  static AssembledSpan of(SpanRecord s, SpanIdSet keys) {
    boolean root = s.isRoot();
    long parentKey = 0;
    String parentOther = null;
    if (!root) {
      parentKey = keys.key(s.parentSpanId());
      parentOther = keys.lastWasCanonical() ? null : s.parentSpanId();
    }
    return new AssembledSpan(
        s.service(),
        s.name(),
        s.kind(),
        s.startEpochNanos(),
        s.endEpochNanos(),
        s.isError(),
        root,
        parentKey,
        parentOther,
        s.kind().isExit() ? PeerNames.of(s) : null);
  }

  @Override
  public boolean isError() {
    return error;
  }

  long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  boolean isExit() {
    return kind.isExit();
  }
}
