package dev.vigil.features;

import dev.vigil.telemetry.MetricPoint;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mutable metric and log features of one window: a cell per metric series and per service with
 * logs, at most {@code maxCells}.
 */
final class SignalWindowAccumulator {
  private final long windowNanos;
  private final int maxCells;

  /** By service, then series name: the shape of the result. */
  private final Map<String, Map<String, SeriesAccumulator>> series = new HashMap<>();

  private final Map<String, LogAccumulator> logs = new HashMap<>();
  private int cells;

  SignalWindowAccumulator(long windowNanos, int maxCells) {
    this.windowNanos = windowNanos;
    this.maxCells = maxCells;
  }

  /** The series' cell, created for this point if new; null when the window is full. */
  SeriesAccumulator series(
      String service, String seriesName, Map<String, String> attributes, MetricPoint p) {
    Map<String, SeriesAccumulator> ofService = series.get(service);
    SeriesAccumulator cell = ofService == null ? null : ofService.get(seriesName);
    if (cell == null) {
      if (cells >= maxCells) {
        return null;
      }
      cells++;
      cell = new SeriesAccumulator(service, p.name(), attributes, p);
      series.computeIfAbsent(service, k -> new HashMap<>()).put(seriesName, cell);
    }
    return cell;
  }

  /** The service's log cell; null when the window is full. */
  LogAccumulator logs(String service) {
    LogAccumulator cell = logs.get(service);
    if (cell == null) {
      if (cells >= maxCells) {
        return null;
      }
      cells++;
      cell = new LogAccumulator(service);
      logs.put(service, cell);
    }
    return cell;
  }

  /** Points taken by the cells. */
  long points() {
    long n = 0;
    for (Map<String, SeriesAccumulator> byName : series.values()) {
      for (SeriesAccumulator cell : byName.values()) {
        n += cell.points();
      }
    }
    return n;
  }

  /** Log records taken by the cells. */
  long logs() {
    long n = 0;
    for (LogAccumulator cell : logs.values()) {
      n += cell.total();
    }
    return n;
  }

  Map<String, ServiceSignals> close() {
    Map<String, ServiceSignals> out = new TreeMap<>();
    series.forEach(
        (service, byName) -> {
          Map<String, MetricSeriesFeatures> metrics = new TreeMap<>();
          byName.forEach((name, cell) -> metrics.put(name, cell.close(windowNanos)));
          LogAccumulator l = logs.get(service);
          out.put(
              service,
              new ServiceSignals(
                  service, metrics, l == null ? LogFeatures.none(service) : l.close(windowNanos)));
        });
    logs.forEach(
        (service, l) -> {
          if (!out.containsKey(service)) {
            out.put(service, new ServiceSignals(service, Map.of(), l.close(windowNanos)));
          }
        });
    return Collections.unmodifiableMap(out);
  }
}
