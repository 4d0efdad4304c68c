package dev.vigil.service.streams;

import dev.vigil.ingest.OtlpRecordDecoder;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Glue between Kafka Streams records and the ingest module's record decoder. */
final class Decoding {
  /**
   * Dead letters above this size go without their value (the headers still point at the original):
   * a producer's default {@code max.request.size} is 1 MiB, and a letter the broker refuses would
   * fail the task's transaction again and again.
   */
  static final int MAX_DEAD_LETTER_BYTES = 900 * 1024;

  private Decoding() {}

  /** The Kafka Streams record as the consumer record the decoder takes. */
  static ConsumerRecord<byte[], byte[]> consumerRecord(
      Record<byte[], byte[]> record, Optional<RecordMetadata> metadata) {
    String topic = metadata.map(RecordMetadata::topic).orElse("");
    int partition = metadata.map(RecordMetadata::partition).orElse(-1);
    long offset = metadata.map(RecordMetadata::offset).orElse(-1L);
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        record.timestamp(),
        TimestampType.CREATE_TIME,
        record.key() == null ? -1 : record.key().length,
        record.value() == null ? -1 : record.value().length,
        record.key(),
        record.value(),
        record.headers(),
        Optional.empty());
  }

  /** Sends a dead letter through the topology's dead-letter sink, within its transaction. */
  static void deadLetter(
      ProcessorContext<byte[], byte[]> context,
      String sink,
      ProducerRecord<byte[], byte[]> letter,
      long timestamp) {
    ProducerRecord<byte[], byte[]> sent =
        letter.value() != null && letter.value().length > MAX_DEAD_LETTER_BYTES
            ? OtlpRecordDecoder.withoutValue(letter)
            : letter;
    context.forward(new Record<>(sent.key(), sent.value(), timestamp, sent.headers()), sink);
  }
}
