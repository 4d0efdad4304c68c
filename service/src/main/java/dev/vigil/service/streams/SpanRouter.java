package dev.vigil.service.streams;

import dev.vigil.ingest.OtlpRecordDecoder;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.otlp.OtlpEncoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends the spans of each input record on to the trace partition of their trace id (murmur2 of the
 * id, as Kafka's default partitioner would for a trace-id key), one record per partition per input
 * record. OTLP protobuf records are split on the wire ({@link TraceSplitter}): the spans' bytes go
 * on as they are, and the trace partition decodes, validates and dead-letters them, once, with the
 * original record's coordinates ({@link #SOURCE_HEADER}). Other records (OTLP JSON, or protobuf the
 * splitter leaves alone) are decoded here, what cannot be used is dead-lettered, and the valid
 * spans are re-encoded as OTLP {@code TracesData}. The record's key is the target partition (4
 * bytes), which {@link #PARTITIONER} reads.
 */
final class SpanRouter implements Processor<byte[], byte[], byte[], byte[]> {
  static final String DLQ_SINK = "span-router-dead-letters";
  static final String REPARTITION_SINK = "spans-by-trace-sink";

  /** Sends a routed record to the partition in its key. */
  static final org.apache.kafka.streams.processor.StreamPartitioner<byte[], byte[]> PARTITIONER =
      new org.apache.kafka.streams.processor.StreamPartitioner<>() {
        @Override
        public java.util.Optional<java.util.Set<Integer>> partitions(
            String topic, byte[] key, byte[] value, int numPartitions) {
          return java.util.Optional.of(
              java.util.Set.of(Math.floorMod(ByteBuffer.wrap(key).getInt(), numPartitions)));
        }
      };

  /** Header naming the input partition (the lane) a routed record came from. */
  static final String LANE_HEADER = "vigil.lane";

  /**
   * Header of a record split on the wire: the input partition (4 bytes) and offset (8 bytes) of the
   * record it came from, which dead letters name.
   */
  static final String SOURCE_HEADER = "vigil.source";

  /** Header of a lane's idle marker (no value): its partition has nothing more to read for now. */
  static final String IDLE_HEADER = "vigil.idle";

  private static final java.time.Duration IDLE_CHECK = java.time.Duration.ofSeconds(1);
  private static final int IDLE_TICKS = 2;
  private static final int IDLE_REPEAT_TICKS = 5;

  private final OtlpRecordDecoder decoder;
  private final int partitions;
  private final LagProbe lag;
  private org.apache.kafka.common.TopicPartition input;
  private long nextOffset;
  private ProcessorContext<byte[], byte[]> context;
  private byte[] lane;
  private int ticksWithoutRecords;

  private final String topic;
  private final OtlpEncoding encoding;

  /**
   * @param encoding the input's fixed encoding, or null to detect it per record
   */
  SpanRouter(
      OtlpRecordDecoder decoder,
      String topic,
      OtlpEncoding encoding,
      int partitions,
      LagProbe lag) {
    this.topic = topic;
    this.encoding = encoding;
    this.lag = lag;
    this.decoder = decoder;
    this.partitions = partitions;
  }

  /** The trace partition of a trace id. */
  static int partitionOf(String traceId, int partitions) {
    return Utils.toPositive(Utils.murmur2(traceId.getBytes(StandardCharsets.US_ASCII)))
        % partitions;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.lane = Integer.toString(context.taskId().partition()).getBytes(StandardCharsets.US_ASCII);
    context.schedule(
        IDLE_CHECK,
        org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
        t -> idleCheck());
  }

  /**
   * A lane without records for a while tells every trace partition so (and repeats it now and
   * then), so that their event time does not wait for it; see {@code
   * SpanFeatureAggregator#laneIdle}.
   */
  private void idleCheck() {
    ticksWithoutRecords++;
    if (ticksWithoutRecords >= IDLE_TICKS && !lag.caughtUp(context.taskId(), input, nextOffset)) {
      ticksWithoutRecords = IDLE_TICKS - 1;
      return;
    }
    if (ticksWithoutRecords == IDLE_TICKS
        || (ticksWithoutRecords > IDLE_TICKS && ticksWithoutRecords % IDLE_REPEAT_TICKS == 0)) {
      org.slf4j.LoggerFactory.getLogger(SpanRouter.class)
          .debug("span lane {} idle at offset {}", context.taskId(), nextOffset);
      for (int p = 0; p < partitions; p++) {
        org.apache.kafka.common.header.internals.RecordHeaders h =
            new org.apache.kafka.common.header.internals.RecordHeaders();
        h.add(LANE_HEADER, lane);
        h.add(IDLE_HEADER, new byte[] {1});
        context.forward(
            new Record<>(
                ByteBuffer.allocate(4).putInt(p).array(),
                new byte[0],
                context.currentSystemTimeMs(),
                h),
            REPARTITION_SINK);
      }
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ticksWithoutRecords = 0;
    context
        .recordMetadata()
        .ifPresent(
            m -> {
              input = new org.apache.kafka.common.TopicPartition(m.topic(), m.partition());
              nextOffset = m.offset() + 1;
            });
    byte[] value = record.value();
    var metadata = context.recordMetadata();
    if (value != null
        && metadata.isPresent()
        && (encoding == null ? OtlpEncoding.detect(value) : encoding) == OtlpEncoding.OTLP_PROTO) {
      Map<Integer, byte[]> parts = TraceSplitter.split(value, partitions);
      if (parts != null) {
        byte[] source =
            ByteBuffer.allocate(12)
                .putInt(metadata.get().partition())
                .putLong(metadata.get().offset())
                .array();
        parts.forEach(
            (p, part) ->
                context.forward(
                    new Record<>(
                        ByteBuffer.allocate(4).putInt(p).array(),
                        part,
                        record.timestamp(),
                        new org.apache.kafka.common.header.internals.RecordHeaders()
                            .add(LANE_HEADER, lane)
                            .add(SOURCE_HEADER, source)),
                    REPARTITION_SINK));
        return;
      }
    }
    OtlpRecordDecoder.Outcome outcome = decoder.decode(Decoding.consumerRecord(record, metadata));
    if (outcome.deadLetter() != null) {
      Decoding.deadLetter(context, DLQ_SINK, outcome.deadLetter(), record.timestamp());
    }
    if (outcome.batch() == null) {
      return;
    }
    Map<Integer, List<SpanRecord>> byPartition = new TreeMap<>();
    for (SpanRecord s : outcome.batch().spans()) {
      byPartition
          .computeIfAbsent(partitionOf(s.traceId(), partitions), p -> new ArrayList<>())
          .add(s);
    }
    byPartition.forEach(
        (p, spans) ->
            context.forward(
                new Record<>(
                    ByteBuffer.allocate(4).putInt(p).array(),
                    OtlpEncoder.encodeSpans(spans),
                    record.timestamp(),
                    new org.apache.kafka.common.header.internals.RecordHeaders()
                        .add(LANE_HEADER, lane)),
                REPARTITION_SINK));
  }
}
