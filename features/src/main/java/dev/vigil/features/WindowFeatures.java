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
 */
public record WindowFeatures(
    Instant start,
    Duration size,
    Map<String, ServiceFeatures> services,
    List<OperationFeatures> operations,
    List<EdgeFeatures> edges) {

  public WindowFeatures {
    services = Collections.unmodifiableMap(new TreeMap<>(services));
    operations = List.copyOf(operations);
    edges = List.copyOf(edges);
  }

  public Instant end() {
    return start.plus(size);
  }
}
