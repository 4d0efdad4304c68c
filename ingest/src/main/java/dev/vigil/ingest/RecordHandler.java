package dev.vigil.ingest;

import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import dev.vigil.telemetry.otlp.Timestamps;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one Kafka record: {@link #decode} then {@link #deliver} to the sink, or dead-letter it,
 * or both for a record with valid and invalid items (the valid ones go on, the record is
 * dead-lettered for the others); neither throws on bad input or a failing sink. {@link #flush}
 * reports whether every dead letter since the previous flush reached the broker. {@link #decode}
 * and {@link #flush} are called by the ingest thread, {@link #deliver} by the thread that runs the
 * sink (the same one, or the source's sink thread): dead letters may be sent from both.
 */
final class RecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RecordHandler.class);

  private final OtlpRecordDecoder decoder;
  private final TelemetrySink sink;
  private final IngestMetrics metrics;
  private final Producer<byte[], byte[]> dlq;
  private final String dlqTopic;
  private final AtomicReference<Exception> dlqFailure = new AtomicReference<>();

  /** Ingest thread only: lane names by topic and partition. */
  private final Map<String, String[]> lanes = new HashMap<>();

  /** Dead letters the producer or broker refused as too large; resent without their value. */
  private final Queue<ProducerRecord<byte[], byte[]>> tooLarge = new ConcurrentLinkedQueue<>();

  /**
   * @param encoding the fixed encoding, or null to detect it per record
   */
  RecordHandler(
      Map<String, Signal> signalsByTopic,
      OtlpEncoding encoding,
      TelemetrySink sink,
      IngestMetrics metrics,
      Producer<byte[], byte[]> dlq,
      String dlqTopic) {
    this.decoder = new OtlpRecordDecoder(signalsByTopic, encoding, metrics, dlqTopic);
    this.sink = sink;
    this.metrics = metrics;
    this.dlq = dlq;
    this.dlqTopic = dlqTopic;
  }

  /** No item with state: a dead letter, a message without items. */
  static final long NO_EVENT_TIME = Long.MIN_VALUE;

  /**
   * Decodes a record, keeping its valid items; dead-letters it whole if it does not decode (then it
   * has no batch and nothing is left to deliver), or for its invalid items if some fail validation
   * (then its batch holds the valid ones, or it has none if every item was invalid). Called on the
   * ingest thread.
   *
   * <p>Timestamps are checked against the decoder's absolute bounds only ({@link
   * Timestamps#MAX_EPOCH_NANOS}), not against the wall clock as OTLP/HTTP does: topics may hold
   * simulations run ahead of it, or data replayed later.
   */
  void decode(IngestedRecord ingested) {
    ConsumerRecord<byte[], byte[]> record = ingested.record();
    OtlpRecordDecoder.Outcome outcome = decoder.decode(record);
    if (outcome.deadLetter() != null) {
      send(outcome.deadLetter(), true);
    }
    if (outcome.batch() == null) {
      ingested.decoded(outcome.signal(), null, null);
      return;
    }
    ingested.decoded(outcome.signal(), outcome.batch(), lane(record.topic(), record.partition()));
  }

  /** The lane of a partition, made once per partition rather than per record. */
  private String lane(String topic, int partition) {
    String[] byPartition = lanes.get(topic);
    if (byPartition == null || partition >= byPartition.length) {
      byPartition =
          byPartition == null
              ? new String[partition + 1]
              : Arrays.copyOf(byPartition, partition + 1);
      lanes.put(topic, byPartition);
    }
    String lane = byPartition[partition];
    if (lane == null) {
      lane = KafkaTelemetrySource.lane(topic, partition);
      byPartition[partition] = lane;
    }
    return lane;
  }

  /**
   * The newest event time of a batch: span ends, metric point times, log record times. A record is
   * durable once the sink's {@code durableUpTo} passes it; a sink that windows metrics and logs
   * (the pipeline does) would otherwise lose them from open windows after a crash.
   */
  static long newestEventTime(TelemetryBatch batch) {
    long newest = NO_EVENT_TIME;
    for (var span : batch.spans()) {
      newest = Math.max(newest, span.endEpochNanos());
    }
    for (var point : batch.metrics()) {
      newest = Math.max(newest, point.timeEpochNanos());
    }
    for (var log : batch.logs()) {
      newest = Math.max(newest, log.timeEpochNanos());
    }
    return newest;
  }

  /**
   * Hands a decoded record to the sink, or dead-letters it with reason {@code sink_error} if the
   * sink throws; then records the newest event time in {@code ingested} and lets go of the record's
   * bytes and batch. Does nothing more for a record left without a batch when decoded. A record
   * already dead-lettered for its invalid items gets a second dead letter if the sink throws on its
   * valid ones. Called on the thread that runs the sink, after {@link #decode}.
   */
  void deliver(IngestedRecord ingested) {
    TelemetryBatch batch = ingested.batch();
    if (batch == null) {
      ingested.delivered(NO_EVENT_TIME);
      return;
    }
    ConsumerRecord<byte[], byte[]> record = ingested.record();
    Signal signal = ingested.signal();
    try {
      sink.accept(signal, batch, ingested.lane());
    } catch (RuntimeException e) {
      LOG.debug("sink failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
      send(decoder.sinkError(signal, record, e), true);
      ingested.delivered(NO_EVENT_TIME);
      return;
    }
    metrics.accepted(signal, batch.size());
    ingested.delivered(newestEventTime(batch));
  }

  /**
   * Waits until every dead letter sent so far is acknowledged.
   *
   * @throws KafkaException if one of them could not be written
   */
  void flush() {
    dlq.flush();
    ProducerRecord<byte[], byte[]> letter;
    boolean resent = false;
    while ((letter = tooLarge.poll()) != null) {
      LOG.warn(
          "dead letter of {} bytes is too large for {}; writing it without its value",
          letter.value() == null ? 0 : letter.value().length,
          dlqTopic);
      send(DeadLetters.withoutValue(letter), false);
      resent = true;
    }
    if (resent) {
      dlq.flush();
    }
    Exception failure = dlqFailure.getAndSet(null);
    if (failure != null) {
      throw new KafkaException("could not write to dead-letter topic " + dlqTopic, failure);
    }
  }

  /**
   * Sends a dead letter. A letter refused as too large (by the producer's {@code max.request.size}
   * or the topic's {@code max.message.bytes}) would otherwise fail every retry of the batch and
   * stop the stream; it is queued to be resent without its value by {@link #flush}.
   */
  private void send(ProducerRecord<byte[], byte[]> letter, boolean mayShrink) {
    try {
      dlq.send(
          letter,
          (metadata, e) -> {
            if (e instanceof RecordTooLargeException && mayShrink) {
              tooLarge.add(letter);
            } else if (e != null) {
              dlqFailure.compareAndSet(null, e);
            }
          });
    } catch (RecordTooLargeException e) {
      if (mayShrink) {
        tooLarge.add(letter);
      } else {
        dlqFailure.compareAndSet(null, e);
      }
    } catch (KafkaException e) {
      dlqFailure.compareAndSet(null, e);
    }
  }
}
