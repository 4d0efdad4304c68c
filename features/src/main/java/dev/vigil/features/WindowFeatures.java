package dev.vigil.features;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything computed for one closed window. Maps and lists are sorted by name.
 *
 * @param start inclusive window start (event time)
 * @param size window length
 * @param signals metric and log features per service ({@link SignalFeatureAggregator}), empty when
 *     none were attached
 */
public record WindowFeatures(
    Instant start,
    Duration size,
    Map<String, ServiceFeatures> services,
    List<OperationFeatures> operations,
    List<EdgeFeatures> edges,
    Map<String, ServiceSignals> signals) {

  public WindowFeatures {
    services = Collections.unmodifiableMap(new TreeMap<>(services));
    operations = List.copyOf(operations);
    edges = List.copyOf(edges);
    signals = Collections.unmodifiableMap(new TreeMap<>(signals));
  }

  /** Span features only, without metric and log features. */
  public WindowFeatures(
      Instant start,
      Duration size,
      Map<String, ServiceFeatures> services,
      List<OperationFeatures> operations,
      List<EdgeFeatures> edges) {
    this(start, size, services, operations, edges, Map.of());
  }

  /** These span features with the given metric and log features. */
  public WindowFeatures withSignals(Map<String, ServiceSignals> signals) {
    return new WindowFeatures(start, size, services, operations, edges, signals);
  }

  public Instant end() {
    return start.plus(size);
  }
}
