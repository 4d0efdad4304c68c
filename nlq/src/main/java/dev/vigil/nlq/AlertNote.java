package dev.vigil.nlq;

import java.time.Instant;
import java.util.List;

/**
 * An alert as the tools report it.
 *
 * @param id stable within a run, e.g. {@code alert-3}
 * @param status {@code firing} or {@code resolved}
 * @param at when it fired or resolved (event time)
 * @param grade the anomaly grade in [0, 1]
 * @param drivers the features that drove it, strongest first
 */
public record AlertNote(
    String id, String service, String status, Instant at, double grade, List<String> drivers) {
  public AlertNote {
    drivers = List.copyOf(drivers);
  }
}
