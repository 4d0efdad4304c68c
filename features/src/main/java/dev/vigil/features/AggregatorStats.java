package dev.vigil.features;

/**
 * Counters of a {@link SpanFeatureAggregator}, for the service to export as metrics.
 *
 * @param spans spans accepted
 * @param traces traces completed
 * @param forcedTraces traces completed early because too many were pending
 * @param lateSpans spans of traces that completed after the window they belong to had closed; they
 *     are counted here and not in any window
 * @param windows windows closed
 * @param pendingTraces traces currently held for assembly
 * @param duplicateSpans spans delivered again (same trace id and span id as one already taken, as
 *     after a producer retry), ignored
 * @param replayedSpans spans read again after a restart whose window an earlier run had already
 *     closed and counted, ignored
 * @param splitTraceSpans spans that arrived after their trace had been completed (its other spans
 *     were more than the out-of-orderness ahead of them, say in a partition read much earlier):
 *     they are counted, as a second part of the trace, but the first part's self times missed them
 *     and the second part's top span counts as a request of its service. Non-zero means the
 *     out-of-orderness is too small for how unevenly the input is read.
 */
public record AggregatorStats(
    long spans,
    long traces,
    long forcedTraces,
    long lateSpans,
    long windows,
    int pendingTraces,
    long duplicateSpans,
    long replayedSpans,
    long splitTraceSpans) {}
