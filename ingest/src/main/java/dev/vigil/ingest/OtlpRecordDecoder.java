package dev.vigil.ingest;

import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.DecodeResult;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import dev.vigil.telemetry.otlp.Timestamps;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one Kafka record of OTLP into its valid items and, for what cannot be used, a dead letter
 * with its reason (the record whole if it does not decode; the record with the rejected-item counts
 * if some items fail validation while the others go on). Counts both in {@link IngestMetrics}.
 * Never throws on bad input. Shared by the plain consumer source and the Kafka Streams topology, so
 * that both dead-letter the same records with the same headers.
 */
public final class OtlpRecordDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpRecordDecoder.class);

  /**
   * What a record gave.
   *
   * @param signal the signal of its topic, or null for an unknown topic
   * @param batch its valid items, or null when nothing in it can be used
   * @param deadLetter its dead letter, or null when every item was valid
   */
  public record Outcome(
      Signal signal, TelemetryBatch batch, ProducerRecord<byte[], byte[]> deadLetter) {}

  private final Map<String, Signal> signalsByTopic;
  private final OtlpEncoding encoding;
  private final IngestMetrics metrics;
  private final String dlqTopic;

  /**
   * @param encoding the fixed encoding, or null to detect it per record
   */
  public OtlpRecordDecoder(
      Map<String, Signal> signalsByTopic,
      OtlpEncoding encoding,
      IngestMetrics metrics,
      String dlqTopic) {
    this.signalsByTopic = Map.copyOf(signalsByTopic);
    this.encoding = encoding;
    this.metrics = metrics;
    this.dlqTopic = dlqTopic;
  }

  /**
   * Decodes a record. Timestamps are checked against the decoder's absolute bounds only ({@link
   * Timestamps#MAX_EPOCH_NANOS}), not against the wall clock as OTLP/HTTP does: topics may hold
   * simulations run ahead of it, or data replayed later.
   */
  public Outcome decode(ConsumerRecord<byte[], byte[]> record) {
    Signal signal = signalsByTopic.get(record.topic());
    if (signal == null) {
      return dead(null, record, DeadLetters.UNKNOWN_TOPIC, "no signal is configured for the topic");
    }
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      // The decoder takes an empty protobuf payload for a valid message without items.
      return dead(signal, record, OtlpDecodeException.EMPTY_MESSAGE, "the message is empty");
    }
    DecodeResult result;
    try {
      result =
          OtlpDecoder.decodePartial(
              signal,
              value,
              encoding == null ? OtlpEncoding.detect(value) : encoding,
              Timestamps.MAX_EPOCH_NANOS);
    } catch (OtlpDecodeException e) {
      return dead(signal, record, e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      // A decoder bug must not stop the stream either.
      return dead(signal, record, "decoder_error", String.valueOf(e));
    }
    TelemetryBatch batch = result.batch();
    if (result.rejected() == 0) {
      return new Outcome(signal, batch, null);
    }
    Map<String, Long> byReason = result.rejectedByReason();
    String reason = result.firstReason();
    LOG.warn(
        "dead letter: reason={} topic={} partition={} offset={}: rejected {} items ({}), accepted"
            + " {}; first: {}",
        reason,
        record.topic(),
        record.partition(),
        record.offset(),
        result.rejected(),
        DeadLetters.byReason(byReason),
        batch.size(),
        result.message());
    metrics.deadLetter(signal, reason);
    byReason.forEach((r, n) -> metrics.rejectedItems(signal, r, n));
    return new Outcome(
        signal,
        batch.size() == 0 ? null : batch,
        DeadLetters.ofRejectedItems(dlqTopic, record, reason, result));
  }

  /**
   * A dead letter for a record whose processing failed after decoding (a sink that threw), with
   * reason {@code sink_error}.
   */
  public ProducerRecord<byte[], byte[]> sinkError(
      Signal signal, ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
    return dead(signal, record, DeadLetters.SINK_ERROR, String.valueOf(e)).deadLetter();
  }

  /**
   * The same dead letter without the original value, for one larger than the dead-letter topic
   * takes; its headers still point at the original record.
   */
  public static ProducerRecord<byte[], byte[]> withoutValue(ProducerRecord<byte[], byte[]> letter) {
    return DeadLetters.withoutValue(letter);
  }

  private Outcome dead(
      Signal signal, ConsumerRecord<byte[], byte[]> record, String reason, String message) {
    LOG.warn(
        "dead letter: reason={} topic={} partition={} offset={}: {}",
        reason,
        record.topic(),
        record.partition(),
        record.offset(),
        message);
    metrics.deadLetter(signal, reason);
    return new Outcome(signal, null, DeadLetters.of(dlqTopic, record, reason, message));
  }
}
