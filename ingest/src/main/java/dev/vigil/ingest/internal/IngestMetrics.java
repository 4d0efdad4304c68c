package dev.vigil.ingest.internal;

import dev.vigil.telemetry.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest counters, shared by every source (Kafka, OTLP/HTTP); each carries a {@code source} tag
 * so that Prometheus sees one set of tag keys per name. Signal tags are lower case ({@code traces},
 * {@code metrics}, {@code logs}).
 *
 * <ul>
 *   <li>{@value #RECORDS} {source, signal, outcome}: Kafka records or HTTP requests, with outcome
 *       {@code accepted}, {@code dead_letter} (Kafka) or {@code rejected} (HTTP error response). A
 *       Kafka record with valid and invalid items counts once under each of {@code accepted} and
 *       {@code dead_letter}.
 *   <li>{@value #ITEMS} {source, signal}: spans, metric points or log records accepted
 *   <li>{@value #DEAD_LETTERS} {source, reason}: records written to the dead-letter topic
 *   <li>{@value #REJECTED} {source, reason}: requests answered with an error status
 *   <li>{@value #REJECTED_ITEMS} {source, signal, reason}: items that failed validation in a
 *       message that decoded: refused in an OTLP/HTTP partial success, or dead-lettered with their
 *       Kafka record (whether or not other items of it were accepted)
 * </ul>
 *
 * Thread-safe.
 */
public final class IngestMetrics {
  public static final String RECORDS = "vigil.ingest.records";
  public static final String DEAD_LETTERS = "vigil.ingest.dead_letters";
  public static final String ITEMS = "vigil.ingest.items";
  public static final String REJECTED = "vigil.ingest.rejected";
  public static final String REJECTED_ITEMS = "vigil.ingest.rejected_items";
  public static final String ACCEPTED = "accepted";
  public static final String DEAD_LETTER = "dead_letter";
  public static final String REJECTED_OUTCOME = "rejected";

  /** The {@code source} tag of the Kafka source. */
  public static final String SOURCE_KAFKA = "kafka";

  /** The {@code source} tag of the OTLP/HTTP receiver. */
  public static final String SOURCE_OTLP_HTTP = "otlp_http";

  private final MeterRegistry registry;
  private final String source;
  private final Map<Signal, Counter> accepted = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> deadLettered = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> rejectedRecords = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> items = new EnumMap<>(Signal.class);
  private final Map<String, Counter> deadLetterReasons = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejectedReasons = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejectedItems = new ConcurrentHashMap<>();

  public IngestMetrics(MeterRegistry registry, String source) {
    this.registry = registry;
    this.source = source;
    for (Signal s : Signal.values()) {
      accepted.put(s, records(s, ACCEPTED));
      deadLettered.put(s, records(s, DEAD_LETTER));
      rejectedRecords.put(s, records(s, REJECTED_OUTCOME));
      items.put(
          s,
          Counter.builder(ITEMS)
              .description("Spans, metric points or log records accepted")
              .tag("source", source)
              .tag("signal", tag(s))
              .register(registry));
    }
  }

  public void accepted(Signal signal, int itemCount) {
    accepted.get(signal).increment();
    items.get(signal).increment(itemCount);
  }

  /** A record went to the dead-letter topic; {@code signal} is null for an unknown topic. */
  public void deadLetter(Signal signal, String reason) {
    if (signal != null) {
      deadLettered.get(signal).increment();
    }
    deadLetterReasons
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder(DEAD_LETTERS)
                    .description("Messages sent to the dead-letter topic, by reason")
                    .tag("source", source)
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  /** A request was answered with an error; {@code signal} is null when the path named none. */
  public void rejected(Signal signal, String reason) {
    if (signal != null) {
      rejectedRecords.get(signal).increment();
    }
    rejectedReasons
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder(REJECTED)
                    .description("Requests answered with an error status, by reason")
                    .tag("source", source)
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  /**
   * Items of a message that decoded failed validation: refused in an OTLP partial success, or
   * dead-lettered with their Kafka record.
   */
  public void rejectedItems(Signal signal, String reason, long count) {
    rejectedItems
        .computeIfAbsent(
            tag(signal) + "/" + reason,
            k ->
                Counter.builder(REJECTED_ITEMS)
                    .description("Items that failed validation, by reason")
                    .tag("source", source)
                    .tag("signal", tag(signal))
                    .tag("reason", reason)
                    .register(registry))
        .increment(count);
  }

  /** Records sent to the dead-letter topic so far, over all reasons. */
  public long deadLetterTotal() {
    return (long) deadLetterReasons.values().stream().mapToDouble(Counter::count).sum();
  }

  /** Records accepted so far, over all signals. */
  public long acceptedTotal() {
    return (long) accepted.values().stream().mapToDouble(Counter::count).sum();
  }

  public static String tag(Signal signal) {
    return signal.name().toLowerCase(Locale.ROOT);
  }

  private Counter records(Signal signal, String outcome) {
    return Counter.builder(RECORDS)
        .description("Kafka records or HTTP requests ingested, by outcome")
        .tag("source", source)
        .tag("signal", tag(signal))
        .tag("outcome", outcome)
        .register(registry);
  }
}
