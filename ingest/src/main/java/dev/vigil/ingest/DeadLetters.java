package dev.vigil.ingest;

import dev.vigil.telemetry.otlp.DecodeResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead letters: the original key, value and headers of a message that could not be ingested,
 * or not all of it, plus headers that say why and where it came from. All added header values are
 * UTF-8 strings.
 *
 * <p>A message whose framing decodes but some of whose items (spans, metric data points, log
 * records) fail validation is dead-lettered for those items ({@link #ofRejectedItems}): its valid
 * items, if any, go on to the sink, and its dead letter carries {@link #REJECTED_ITEMS}, {@link
 * #ACCEPTED_ITEMS} and {@link #REJECTED_BY_REASON}, plus {@link #PARTIAL} when some were accepted.
 * The letter keeps the original bytes, so replaying a partial one re-delivers the accepted items
 * too. What the pipeline then does with them depends on the signal:
 *
 * <ul>
 *   <li>Spans are absorbed. A span with the trace id and span id of one already taken is ignored as
 *       a duplicate ({@code AggregatorStats.duplicateSpans}) while its trace is remembered, that is
 *       until the window of its trace's end closes; after that its window has closed too and it is
 *       counted as late (or as replayed, for a window reported before a restart), never in a window
 *       again.
 *   <li>Metric points are absorbed only in part. A point with the same time and start time as its
 *       series' newest point is ignored as a duplicate ({@code SignalStats.duplicatePoints}), an
 *       older point of a cumulative series (monotonic sum, histogram, summary) as out of order
 *       ({@code outOfOrderPoints}), as long as the series is remembered ({@code
 *       SignalConfig.maxSeries}). But a gauge, delta or up-down-counter point that is no longer its
 *       series' newest (a later point of the series arrived in between) is taken again: counted
 *       twice if its window is still open, as late ({@code vigil.features.late_points}) if it has
 *       closed.
 *   <li>Log records are not deduplicated: one whose window is still open is counted twice; one
 *       whose window has closed is counted as late (or as replayed before a restart).
 * </ul>
 *
 * So replaying a partial dead letter of metrics or logs while their windows are still open
 * double-counts some of its accepted items; once the windows have closed it only adds to the late
 * counters. To avoid both, replay a message with only its rejected items, fixed.
 */
final class DeadLetters {
  static final String REASON = "vigil.dlq.reason";
  static final String MESSAGE = "vigil.dlq.message";
  static final String TOPIC = "vigil.dlq.topic";
  static final String PARTITION = "vigil.dlq.partition";
  static final String OFFSET = "vigil.dlq.offset";

  /** Set when the original value was too large for the dead-letter topic and was left out. */
  static final String VALUE_OMITTED = "vigil.dlq.value_omitted";

  /** The size in bytes of the original value, when it was left out. */
  static final String VALUE_BYTES = "vigil.dlq.value_bytes";

  /**
   * {@code "true"} on a dead letter of a message some of whose items were accepted and went on to
   * the sink: replaying the letter delivers those again. Absent otherwise.
   */
  static final String PARTIAL = "vigil.dlq.partial";

  /**
   * The number of items (spans, metric data points or log records) of the message that failed
   * validation; on dead letters for invalid items only, as are the next two headers.
   */
  static final String REJECTED_ITEMS = "vigil.dlq.rejected_items";

  /** The number of items of the message that were valid and went on to the sink; may be 0. */
  static final String ACCEPTED_ITEMS = "vigil.dlq.accepted_items";

  /**
   * The rejected items by reason, sorted by reason, for example {@code
   * invalid_trace_id=2,non_finite_value=1}.
   */
  static final String REJECTED_BY_REASON = "vigil.dlq.rejected_by_reason";

  private static final int MAX_KEPT_KEY_BYTES = 1_024;

  /** The sink threw while accepting a decoded message. */
  static final String SINK_ERROR = "sink_error";

  /** The message came from a topic no signal is configured for (should not happen). */
  static final String UNKNOWN_TOPIC = "unknown_topic";

  private static final int MAX_MESSAGE_CHARS = 1_000;

  private DeadLetters() {}

  static ProducerRecord<byte[], byte[]> of(
      String dlqTopic, ConsumerRecord<byte[], byte[]> source, String reason, String message) {
    Headers headers = new RecordHeaders();
    for (Header h : source.headers()) {
      if (!h.key().startsWith("vigil.dlq.")) {
        headers.add(h);
      }
    }
    add(headers, REASON, reason);
    add(headers, MESSAGE, abbreviate(message == null ? "" : message));
    add(headers, TOPIC, source.topic());
    add(headers, PARTITION, Integer.toString(source.partition()));
    add(headers, OFFSET, Long.toString(source.offset()));
    return new ProducerRecord<>(dlqTopic, null, null, source.key(), source.value(), headers);
  }

  /**
   * The dead letter of a message whose framing decoded but some of whose items failed validation:
   * {@link #of} with the first rejection's explanation, plus the item counts, and {@link #PARTIAL}
   * if some items were accepted.
   *
   * @param reason the reason given in {@link #REASON}: the first rejection's, which the message
   *     explains
   * @param result the decode, with at least one rejected item
   */
  static ProducerRecord<byte[], byte[]> ofRejectedItems(
      String dlqTopic, ConsumerRecord<byte[], byte[]> source, String reason, DecodeResult result) {
    ProducerRecord<byte[], byte[]> letter = of(dlqTopic, source, reason, result.message());
    Headers headers = letter.headers();
    int accepted = result.batch().size();
    if (accepted > 0) {
      add(headers, PARTIAL, "true");
    }
    add(headers, REJECTED_ITEMS, Long.toString(result.rejected()));
    add(headers, ACCEPTED_ITEMS, Integer.toString(accepted));
    add(headers, REJECTED_BY_REASON, byReason(result.rejectedByReason()));
    return letter;
  }

  /** The value of {@link #REJECTED_BY_REASON}. */
  static String byReason(Map<String, Long> rejectedByReason) {
    return rejectedByReason.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /**
   * The same dead letter without the original value (and without a key over 1 KiB), for a record
   * too large for the dead-letter topic: the reason and the source coordinates still point at the
   * original, which stays in its source topic until retention removes it.
   */
  static ProducerRecord<byte[], byte[]> withoutValue(ProducerRecord<byte[], byte[]> letter) {
    Headers headers = new RecordHeaders();
    for (Header h : letter.headers()) {
      if (h.key().startsWith("vigil.dlq.")) {
        headers.add(h);
      }
    }
    int size = letter.value() == null ? 0 : letter.value().length;
    add(headers, VALUE_OMITTED, "too_large_for_dead_letter_topic");
    add(headers, VALUE_BYTES, Integer.toString(size));
    byte[] key = letter.key();
    return new ProducerRecord<>(
        letter.topic(),
        null,
        null,
        key != null && key.length <= MAX_KEPT_KEY_BYTES ? key : null,
        null,
        headers);
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String abbreviate(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
