package dev.vigil.features;

import dev.vigil.telemetry.LogEntry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Mutable log features of one service over one window. */
final class LogAccumulator {
  private static final double NANOS_PER_SECOND = 1e9;
  private static final SeverityClass[] CLASSES = SeverityClass.values();

  private final String service;
  private final long[] bySeverity = new long[CLASSES.length];
  private long total;
  private long errors;
  private final List<String> errorTraceIds = new ArrayList<>(LogFeatures.MAX_EXAMPLES);
  private MessageTemplateCounter messages;

  LogAccumulator(String service) {
    this.service = service;
  }

  long total() {
    return total;
  }

  void add(LogEntry log) {
    total++;
    SeverityClass c = SeverityClass.of(log.severityNumber(), log.severityText());
    bySeverity[c.ordinal()]++;
    if (!c.isError()) {
      return;
    }
    errors++;
    String traceId = log.traceId();
    if (!traceId.isEmpty()
        && errorTraceIds.size() < LogFeatures.MAX_EXAMPLES
        && !errorTraceIds.contains(traceId)) {
      errorTraceIds.add(traceId);
    }
    if (messages == null) {
      messages = new MessageTemplateCounter();
    }
    messages.add(log.body().isBlank() ? log.eventName() : log.body());
  }

  LogFeatures close(long windowNanos) {
    Map<SeverityClass, Long> counts = new EnumMap<>(SeverityClass.class);
    for (SeverityClass c : CLASSES) {
      counts.put(c, bySeverity[c.ordinal()]);
    }
    return new LogFeatures(
        service,
        total,
        counts,
        errors,
        errors / (windowNanos / NANOS_PER_SECOND),
        total == 0 ? 0 : (double) errors / total,
        errorTraceIds,
        messages == null ? List.of() : messages.top(LogFeatures.MAX_EXAMPLES));
  }
}
