package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One polled Kafka record on its way through the source: decoded (or dead-lettered) by the ingest
 * thread, delivered to the sink by the thread that runs the sink, then waiting for its offset to be
 * committed. Mutable: {@link #decoded} is called once by the ingest thread before the record is
 * handed over (the hand-off publishes it); {@link #delivered} is called once by the thread that
 * runs the sink, and the sink stage's progress (see {@link SinkStage#progress}) makes it visible to
 * the ingest thread.
 */
final class IngestedRecord {
  private final String topic;
  private final int partition;
  private final long offset;
  private ConsumerRecord<byte[], byte[]> record;
  private Signal signal;
  private String lane;
  private TelemetryBatch batch;
  private long newest = RecordHandler.NO_EVENT_TIME;

  /** A record as polled, not yet decoded. */
  IngestedRecord(ConsumerRecord<byte[], byte[]> record) {
    this.topic = record.topic();
    this.partition = record.partition();
    this.offset = record.offset();
    this.record = record;
  }

  /**
   * Records the outcome of decoding.
   *
   * @param signal the topic's signal, null for an unknown topic
   * @param batch the decoded records, null if the record was dead-lettered
   * @param lane the sink's lane of the record's partition; null with no batch
   */
  void decoded(Signal signal, TelemetryBatch batch, String lane) {
    this.signal = signal;
    this.batch = batch;
    this.lane = lane;
  }

  String topic() {
    return topic;
  }

  int partition() {
    return partition;
  }

  long offset() {
    return offset;
  }

  Signal signal() {
    return signal;
  }

  String lane() {
    return lane;
  }

  /** The original record (for a dead letter); null once delivered. */
  ConsumerRecord<byte[], byte[]> record() {
    return record;
  }

  /**
   * What to hand to the sink; null before decoding, if there is nothing (dead-lettered) or once
   * delivered.
   */
  TelemetryBatch batch() {
    return batch;
  }

  /**
   * The newest event time (span end, metric point, log record) in what the sink accepted (epoch
   * nanoseconds), or {@link RecordHandler#NO_EVENT_TIME}: nothing that the sink keeps in memory.
   */
  long newest() {
    return newest;
  }

  /** The sink is done with this record; lets go of its bytes and batch. */
  void delivered(long newestEventTime) {
    this.newest = newestEventTime;
    this.record = null;
    this.batch = null;
  }
}
