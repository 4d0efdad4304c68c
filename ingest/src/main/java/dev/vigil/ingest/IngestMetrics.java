package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest counters. Signal tags are lower case ({@code traces}, {@code metrics}, {@code logs}).
 */
final class IngestMetrics {
  static final String RECORDS = "vigil.ingest.records";
  static final String DEAD_LETTERS = "vigil.ingest.dead_letters";
  static final String ITEMS = "vigil.ingest.items";
  static final String ACCEPTED = "accepted";
  static final String DEAD_LETTER = "dead_letter";

  private final MeterRegistry registry;
  private final Map<Signal, Counter> accepted = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> deadLettered = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> items = new EnumMap<>(Signal.class);
  private final Map<String, Counter> reasons = new ConcurrentHashMap<>();

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Signal s : Signal.values()) {
      accepted.put(s, records(s, ACCEPTED));
      deadLettered.put(s, records(s, DEAD_LETTER));
      items.put(
          s,
          Counter.builder(ITEMS)
              .description("Spans, metric points or log records decoded")
              .tag("signal", tag(s))
              .register(registry));
    }
  }

  void accepted(Signal signal, int itemCount) {
    accepted.get(signal).increment();
    items.get(signal).increment(itemCount);
  }

  void deadLetter(Signal signal, String reason) {
    if (signal != null) {
      deadLettered.get(signal).increment();
    }
    reasons
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder(DEAD_LETTERS)
                    .description("Messages sent to the dead-letter topic, by reason")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  /** Records sent to the dead-letter topic so far, over all reasons. */
  long deadLetterTotal() {
    return (long) reasons.values().stream().mapToDouble(Counter::count).sum();
  }

  /** Records accepted so far, over all signals. */
  long acceptedTotal() {
    return (long) accepted.values().stream().mapToDouble(Counter::count).sum();
  }

  static String tag(Signal signal) {
    return signal.name().toLowerCase(Locale.ROOT);
  }

  private Counter records(Signal signal, String outcome) {
    return Counter.builder(RECORDS)
        .description("Kafka records ingested, by outcome")
        .tag("signal", tag(signal))
        .tag("outcome", outcome)
        .register(registry);
  }
}
