package dev.vigil.trainingdata.sim;

import java.util.List;

/**
 * An operation of a simulated service.
 *
 * @param name span name, e.g. {@code GET /product/{id}} or {@code CatalogService/GetProduct}
 * @param selfMillis median self time (work not spent waiting on calls), in milliseconds
 * @param calls downstream calls, made one after the other between two halves of the self time
 */
public record Operation(String name, double selfMillis, List<Call> calls) {
  public Operation {
    if (!(selfMillis > 0)) {
      throw new IllegalArgumentException("self time must be positive, got " + selfMillis);
    }
    calls = List.copyOf(calls);
  }
}
