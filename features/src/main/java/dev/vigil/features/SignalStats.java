package dev.vigil.features;

/**
 * Counters of a {@link SignalFeatureAggregator}, for the service to export as metrics. Every point
 * and log record accepted is either in a window or counted in exactly one of the ignored counters
 * (late, replayed, duplicate, out of order, refused, conflicting).
 *
 * @param points metric points accepted
 * @param logs log records accepted
 * @param latePoints points whose window had already closed; in no window (a cumulative one still
 *     serves as the base of its series' next rate)
 * @param lateLogs log records whose window had already closed
 * @param replayedPoints points before the instant given to {@link
 *     SignalFeatureAggregator#resumeFrom}, read again after a restart; in no window (a cumulative
 *     one still serves as a base)
 * @param replayedLogs log records before that instant
 * @param duplicatePoints points with the same time (and start) as their series' previous point, as
 *     after a redelivery; ignored
 * @param outOfOrderPoints cumulative points older than their series' previous point; ignored (the
 *     newer point already covers what they counted)
 * @param counterResets cumulative series that restarted (start time changed, or a count went down,
 *     or histogram bounds changed)
 * @param series series whose previous point is remembered now
 * @param evictedSeries series forgotten because {@link SignalConfig#maxSeries()} were remembered
 * @param refusedPoints points refused because their window was full or too many windows were open
 * @param refusedLogs log records refused for the same reasons
 * @param conflictingPoints points whose type differs from the one their series already has in the
 *     window (the same metric name reported as two types); ignored
 * @param windows windows closed
 * @param openWindows windows currently open
 */
public record SignalStats(
    long points,
    long logs,
    long latePoints,
    long lateLogs,
    long replayedPoints,
    long replayedLogs,
    long duplicatePoints,
    long outOfOrderPoints,
    long counterResets,
    int series,
    long evictedSeries,
    long refusedPoints,
    long refusedLogs,
    long conflictingPoints,
    long windows,
    int openWindows) {}
