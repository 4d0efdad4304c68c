package dev.vigil.ingest;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead letters: the original key, value and headers of a message that could not be ingested,
 * plus headers that say why and where it came from. All added header values are UTF-8 strings.
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
