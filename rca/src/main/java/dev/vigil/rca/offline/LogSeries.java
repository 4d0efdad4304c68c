package dev.vigil.rca.offline;

import dev.vigil.features.LogTemplateMiner;
import dev.vigil.features.SeverityClass;
import dev.vigil.telemetry.LogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Log records as {@link SeriesKind#LOG} series: per service, lines per minute of each template
 * (mined online with Drain, {@link LogTemplateMiner}, one miner per service, in time order) and of
 * its error lines (severity from the record, or inferred from the line when the record has none,
 * {@link SeverityClass#of(int, String, String)}). A series has a point in every bin in which the
 * recording has any log line, zero where this template or service logged nothing, so a template
 * that appears, or vanishes, at the incident is a change. The same mining also names the template
 * of every line that carries a trace and span id ({@link Mined#eventsBySpan()}), so that a request
 * can be described by the log statements it reached ({@link CallPattern#logEvents()}). O(lines x
 * template match + series x bins).
 */
final class LogSeries {
  static final String UNIT = "{line}/min";
  static final String ERROR_LINES = "error log lines";

  private LogSeries() {}

  /**
   * What the log records yield.
   *
   * @param series the per-template and error-line series
   * @param eventsBySpan for every span that logged, keyed {@link #spanKey}, the templates of its
   *     lines (as {@link #eventName})
   * @param coveredBins the start of every bin in which the recording has any log line: a request in
   *     another bin was not observed by logs at all
   */
  record Mined(List<Series> series, Map<String, Set<String>> eventsBySpan, Set<Long> coveredBins) {
    static final Mined NONE = new Mined(List.of(), Map.of(), Set.of());
  }

  /** The key of a span in {@link Mined#eventsBySpan()}. */
  static String spanKey(String traceId, String spanId) {
    return traceId.toLowerCase(Locale.ROOT) + "/" + spanId.toLowerCase(Locale.ROOT);
  }

  /** How a log template reads as an event of a request. */
  static String eventName(String template) {
    return "log `" + template + "`";
  }

  /** The template of an event named by {@link #eventName}, or null for another kind of event. */
  static String templateOf(String event) {
    return event.startsWith("log `") && event.endsWith("`") && event.length() >= 6
        ? event.substring(5, event.length() - 1)
        : null;
  }

  static List<Series> of(List<LogEntry> logs, long binMillis) {
    return mine(logs, binMillis).series();
  }

  static Mined mine(List<LogEntry> logs, long binMillis) {
    if (logs.isEmpty()) {
      return Mined.NONE;
    }
    Map<String, List<TemplateRef>> templatesBySpan = new HashMap<>();
    List<LogEntry> ordered = new ArrayList<>(logs);
    ordered.sort(Comparator.comparingLong(LogEntry::timeEpochNanos));
    Map<String, LogTemplateMiner> miners = new TreeMap<>();
    Map<String, Map<Integer, TreeMap<Long, long[]>>> counts = new TreeMap<>();
    Map<String, TreeMap<Long, long[]>> errors = new TreeMap<>();
    TreeSet<Long> bins = new TreeSet<>();
    for (LogEntry e : ordered) {
      String service = e.service();
      if (service == null || service.isEmpty()) {
        continue;
      }
      long bin =
          Math.floorDiv(Math.floorDiv(e.timeEpochNanos(), 1_000_000L), binMillis) * binMillis;
      bins.add(bin);
      String body = e.body() == null ? "" : e.body();
      LogTemplateMiner miner = miners.computeIfAbsent(service, k -> new LogTemplateMiner());
      LogTemplateMiner.Template t = miner.add(body);
      if (!isEmpty(e.traceId()) && !isEmpty(e.spanId())) {
        templatesBySpan
            .computeIfAbsent(spanKey(e.traceId(), e.spanId()), k -> new ArrayList<>(2))
            .add(new TemplateRef(miner, t.id()));
      }
      counts
          .computeIfAbsent(service, k -> new HashMap<>())
          .computeIfAbsent(t.id(), k -> new TreeMap<>())
          .computeIfAbsent(bin, k -> new long[1])[0]++;
      if (SeverityClass.of(e.severityNumber(), e.severityText(), body).isError()) {
        errors.computeIfAbsent(service, k -> new TreeMap<>())
            .computeIfAbsent(bin, k -> new long[1])[0]++;
      }
    }
    long[] times = bins.stream().mapToLong(Long::longValue).toArray();
    double perMinute = 60_000.0 / binMillis;
    List<Series> out = new ArrayList<>();
    counts.forEach(
        (service, byTemplate) -> {
          LogTemplateMiner miner = miners.get(service);
          byTemplate.forEach(
              (id, byBin) ->
                  out.add(
                      series(
                          new SeriesKey(
                              service,
                              SeriesKind.LOG,
                              "log template `" + miner.text(id) + "`",
                              UNIT),
                          times,
                          byBin,
                          perMinute)));
          out.add(
              series(
                  new SeriesKey(service, SeriesKind.LOG, ERROR_LINES, UNIT),
                  times,
                  errors.getOrDefault(service, new TreeMap<>()),
                  perMinute));
        });
    // Templates generalise as lines arrive: name each line's template by its final text.
    Map<String, Set<String>> events = new HashMap<>();
    templatesBySpan.forEach(
        (span, refs) -> {
          Set<String> names = new TreeSet<>();
          for (TemplateRef r : refs) {
            names.add(eventName(r.miner().text(r.id())));
          }
          events.put(span, names);
        });
    return new Mined(out, events, bins);
  }

  /** A line's template in the miner of its service. */
  private record TemplateRef(LogTemplateMiner miner, int id) {}

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static Series series(
      SeriesKey key, long[] times, TreeMap<Long, long[]> byBin, double perMinute) {
    double[] v = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      long[] c = byBin.get(times[i]);
      v[i] = c == null ? 0 : c[0] * perMinute;
    }
    return new Series(key, times, v);
  }
}
