package dev.vigil.service.streams;

import dev.vigil.features.AggregatorStats;
import dev.vigil.features.FeatureConfig;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.features.WindowPartial;
import dev.vigil.ingest.OtlpRecordDecoder;
import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import dev.vigil.telemetry.otlp.Timestamps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trace partition: assembles its traces and aggregates them into window partials ({@link
 * SpanFeatureAggregator#acceptPartials}), which go to the window engine as windows close; a
 * partition with nothing to read says it is idle, so the engine does not wait for it.
 *
 * <p>State without serialising the aggregator: the offsets of the input records whose spans an open
 * window or a pending trace may still need are kept in a changelogged store (offset -> newest span
 * end and lane), with the end of the last closed window. After a restart or a move to another
 * instance the store is restored, and those records are re-read from the input topic partition
 * ({@link InputReplay}: the repartition topic, or the spans topic when partitioned by trace id) and
 * replayed into a new aggregator resumed from that window end ({@link
 * SpanFeatureAggregator#resumeFrom}): the same pending traces and open windows, and nothing counted
 * twice, since store writes, partial outputs and input offsets commit in one transaction. The input
 * topic is a durable log already, so its records do not pass through Kafka a second time as a
 * changelog; the purge of the repartition topic keeps every offset a committed store still names
 * ({@link PurgeFloors}). A record is dropped from the store once the closed windows have passed its
 * newest span end by the longest trace plus the out-of-orderness: every trace it belongs to has
 * completed by then.
 */
final class TraceWindowProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String DLQ_SINK = "trace-window-processor-dead-letters";
  private static final Logger LOG = LoggerFactory.getLogger(TraceWindowProcessor.class);
  static final String PARTIALS_SINK = "window-partials-sink";
  private static final long CLOSED_UP_TO_KEY = -1L;
  private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

  /** Idle checks without a record before the partition says it is idle (and every so often). */
  private static final int IDLE_TICKS = 2;

  private static final int IDLE_REPEAT_TICKS = 5;

  /** How long a restore's re-read of the input may go without progress before the task fails. */
  private static final Duration REPLAY_STALL = Duration.ofMinutes(2);

  private final FeatureConfig config;
  private final OtlpRecordDecoder decoder;
  private final OtlpEncoding encoding;
  private final int partitions;
  private final int lanes;
  private final StreamsMeters meters;
  private final LagProbe lag;
  private final String inputTopic;
  private final String sourceTopic;
  private final java.util.function.Supplier<Consumer<byte[], byte[]>> replayConsumers;
  private final PurgeFloors floors;
  private final Counter replayedRecords;
  private final Counter replayMissing;

  /**
   * Records read straight from the spans topic ({@code kafka.partition-traces-by-id}) that hold
   * spans of more than one trace: the Collector's kafka exporter with {@code
   * partition_traces_by_id} sends one trace per message, so these say that the spans are not
   * partitioned by trace id and a trace's spans may be assembled apart on two partitions.
   */
  private final Counter mixedTraceRecords;

  /** Whether this processor reads the spans topic itself, as partitioned by the exporter. */
  private final boolean direct;

  private TopicPartition storeInput;
  private long floor = PurgeFloors.NONE;

  /** Whether the floor changed before this task processed a record (position not known yet). */
  private boolean floorPositionUnknown;

  private boolean sawRecord;
  private TopicPartition input;
  private long nextOffset;
  private final long retainNanos;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Long, byte[]> store;
  private SpanFeatureAggregator aggregator;
  private int partition;
  private AggregatorStats lastStats;

  /** Newest span end of each stored record, by offset. */
  private final TreeMap<Long, Long> stored = new TreeMap<>();

  private final List<WindowPartial> unsent = new ArrayList<>();
  private int ticksWithoutRecords;

  /** Whether this partition told the engine it was idle and has not said otherwise since. */
  private boolean saidIdle;

  TraceWindowProcessor(
      FeatureConfig config,
      OtlpRecordDecoder decoder,
      OtlpEncoding encoding,
      int partitions,
      int lanes,
      StreamsMeters meters,
      LagProbe lag,
      String inputTopic,
      String sourceTopic,
      java.util.function.Supplier<Consumer<byte[], byte[]>> replayConsumers,
      PurgeFloors floors,
      MeterRegistry registry) {
    this.lag = lag;
    this.inputTopic = inputTopic;
    this.sourceTopic = sourceTopic;
    this.replayConsumers = replayConsumers;
    this.floors = floors;
    this.replayedRecords = registry.counter("vigil.state.replayed_records");
    this.replayMissing = registry.counter("vigil.state.replay_missing");
    this.mixedTraceRecords = registry.counter("vigil.kafka.mixed_trace_records");
    this.direct = inputTopic.equals(sourceTopic);
    this.lanes = lanes;
    this.config = config;
    this.decoder = decoder;
    this.encoding = encoding;
    this.partitions = partitions;
    this.meters = meters;
    this.retainNanos =
        config.maxTraceDuration().toNanos()
            + config.outOfOrderness().toNanos()
            + config.window().toNanos();
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.partition = context.taskId().partition();
    this.storeInput = new TopicPartition(inputTopic, partition);
    this.store = context.getStateStore(StreamsLayout.TRACE_RECORDS_STORE);
    this.aggregator = new SpanFeatureAggregator(config);
    if (lanes > 0) {
      List<String> all = new ArrayList<>();
      for (int l = 0; l < lanes; l++) {
        all.add(Integer.toString(l));
      }
      aggregator.lanesAssigned(all);
    }
    restore();
    lastStats = aggregator.stats();
    meters.pending(lastStats.pendingTraces());
    context.schedule(IDLE_CHECK, PunctuationType.WALL_CLOCK_TIME, t -> idleCheck());
  }

  /** A stored entry: newest span end, lane, and the payload when an older build stored it. */
  private record Stored(long newestEnd, String lane, byte[] payload) {}

  private void restore() {
    long t0 = System.nanoTime();
    byte[] closed = store.get(CLOSED_UP_TO_KEY);
    if (closed != null) {
      aggregator.resumeFrom(EpochNanos.toInstant(ByteBuffer.wrap(closed).getLong()));
    }
    TreeMap<Long, Stored> entries = new TreeMap<>();
    try (KeyValueIterator<Long, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        if (kv.key < 0) {
          continue;
        }
        ByteBuffer b = ByteBuffer.wrap(kv.value);
        long newestEnd = b.getLong();
        byte[] laneBytes = new byte[b.get()];
        b.get(laneBytes);
        // Builds before the store kept offsets only stored the payload after the lane.
        byte[] payload = null;
        if (b.hasRemaining()) {
          payload = new byte[b.remaining()];
          b.get(payload);
        }
        entries.put(
            kv.key,
            new Stored(newestEnd, new String(laneBytes, StandardCharsets.US_ASCII), payload));
        stored.put(kv.key, newestEnd);
      }
    }
    TreeSet<Long> reread = new TreeSet<>();
    TreeMap<Long, Stored> withPayload = new TreeMap<>();
    entries.forEach(
        (offset, e) -> {
          if (e.payload() == null) {
            reread.add(offset);
          } else {
            withPayload.put(offset, e);
          }
        });
    InputReplay.Result result = null;
    if (!reread.isEmpty()) {
      try (Consumer<byte[], byte[]> consumer = replayConsumers.get()) {
        result =
            InputReplay.replay(
                consumer,
                storeInput,
                reread,
                REPLAY_STALL,
                (offset, value) -> {
                  replayStoredBelow(withPayload, offset);
                  Stored e = entries.get(offset);
                  unsent.addAll(aggregator.acceptPartials(e.lane(), decodeStored(value)));
                });
      }
    }
    replayStoredBelow(withPayload, Long.MAX_VALUE);
    long replayed = (result == null ? 0 : result.replayed()) + (entries.size() - reread.size());
    replayedRecords.increment(replayed);
    if (result != null && result.missing() > 0) {
      replayMissing.increment(result.missing());
      LOG.warn(
          "trace partition {}: {} of the {} input records its open windows and pending traces"
              + " need are gone from {} (offsets {} to {}; the partition now starts at {}): the"
              + " topic's retention (retention.ms, retention.bytes) or a records deletion removed"
              + " them before this restore, so their spans are missing from those windows"
              + " (vigil.state.replay_missing). Keep the input topic's retention well above"
              + " windows.max-trace-duration + windows.out-of-orderness + one window.",
          partition,
          result.missing(),
          reread.size(),
          storeInput,
          result.firstMissing(),
          result.lastMissing(),
          result.logStart());
    }
    floor = stored.isEmpty() ? PurgeFloors.NONE : stored.firstKey();
    floors.restored(storeInput, floor);
    if (!entries.isEmpty() || closed != null) {
      LOG.info(
          "trace partition {}: restored in {} ms, {} records replayed ({} re-read from {}),"
              + " windows closed up to {}",
          partition,
          (System.nanoTime() - t0) / 1_000_000,
          replayed,
          result == null ? 0 : result.replayed(),
          storeInput,
          aggregator.closedUpTo());
    }
  }

  /** Replays, in offset order, the entries an older build stored with their payload below one. */
  private void replayStoredBelow(TreeMap<Long, Stored> withPayload, long offset) {
    while (!withPayload.isEmpty() && withPayload.firstKey() < offset) {
      Stored e = withPayload.pollFirstEntry().getValue();
      unsent.addAll(aggregator.acceptPartials(e.lane(), decodeStored(e.payload())));
    }
  }

  private List<SpanRecord> decodeStored(byte[] payload) {
    try {
      return OtlpDecoder.decodePartial(
              Signal.TRACES,
              payload,
              encoding == null ? OtlpEncoding.detect(payload) : encoding,
              Timestamps.MAX_EPOCH_NANOS)
          .batch()
          .spans();
    } catch (OtlpDecodeException e) {
      // Only records that decoded are stored; a store from another build may differ.
      LOG.warn(
          "trace partition {}: a stored record no longer decodes: {}", partition, e.toString());
      return List.of();
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ticksWithoutRecords = 0;
    sendUnsent();
    context
        .recordMetadata()
        .ifPresent(
            m -> {
              input = new TopicPartition(m.topic(), m.partition());
              nextOffset = m.offset() + 1;
              sawRecord = true;
            });
    if (floorPositionUnknown && sawRecord) {
      // A change made before this record commits with it at the latest.
      floors.changed(storeInput, nextOffset, floor);
      floorPositionUnknown = false;
    }
    String lane = header(record, SpanRouter.LANE_HEADER);
    if (header(record, SpanRouter.IDLE_HEADER) != null) {
      send(aggregator.laneIdlePartials(lane == null ? "" : lane), record.timestamp());
      if (aggregator.quiescent()) {
        sayIdle(record.timestamp());
      }
      return;
    }
    if (lane == null) {
      lane = "";
    }
    if (saidIdle) {
      // Before anything else of ours reaches the engine: do not close windows without us.
      saidIdle = false;
      PartialMessage active =
          new PartialMessage(false, partition, partitions, Long.MIN_VALUE, new byte[0]);
      context.forward(new Record<>(null, active.toBytes(), record.timestamp()), PARTIALS_SINK);
    }
    OtlpRecordDecoder.Outcome outcome = decoder.decode(source(record));
    if (outcome.deadLetter() != null) {
      Decoding.deadLetter(context, DLQ_SINK, outcome.deadLetter(), record.timestamp());
    }
    if (outcome.batch() == null) {
      return;
    }
    List<SpanRecord> spans = outcome.batch().spans();
    if (direct) {
      checkOneTrace(spans);
    }
    long newestEnd = Long.MIN_VALUE;
    for (SpanRecord s : spans) {
      newestEnd = Math.max(newestEnd, s.endEpochNanos());
    }
    long offset = context.recordMetadata().map(m -> m.offset()).orElse(-1L);
    if (offset >= 0) {
      // The offset only: a restore re-reads the record from the input topic.
      byte[] laneBytes = lane.getBytes(StandardCharsets.US_ASCII);
      store.put(
          offset,
          ByteBuffer.allocate(8 + 1 + laneBytes.length)
              .putLong(newestEnd)
              .put((byte) laneBytes.length)
              .put(laneBytes)
              .array());
      stored.put(offset, newestEnd);
      floorChanged();
    }
    List<WindowPartial> closed = aggregator.acceptPartials(lane, spans);
    send(closed, record.timestamp());
    AggregatorStats now = aggregator.stats();
    meters.add(lastStats, now);
    lastStats = now;
  }

  /** Counts and reports a record of the spans topic that holds spans of several traces. */
  private void checkOneTrace(List<SpanRecord> spans) {
    for (SpanRecord s : spans) {
      if (!s.traceId().equals(spans.get(0).traceId())) {
        mixedTraceRecords.increment();
        long n = (long) mixedTraceRecords.count();
        if (n == 1 || n % 10_000 == 0) {
          LOG.warn(
              "trace partition {}: {} record(s) of {} so far held spans of more than one trace"
                  + " (offset {}): kafka.partition-traces-by-id=true expects the exporter to"
                  + " partition spans by trace id, one trace per record (the Collector's kafka"
                  + " exporter with partition_traces_by_id: true); otherwise spans of one trace"
                  + " can land on two partitions and be assembled apart. Set it in the exporter"
                  + " or set kafka.partition-traces-by-id=false (metric"
                  + " vigil.kafka.mixed_trace_records)",
              partition,
              n,
              inputTopic,
              nextOffset - 1);
        }
        return;
      }
    }
  }

  /**
   * The record as the decoder takes it: a record the span router split on the wire is decoded (and
   * dead-lettered) as the part of the spans-topic record it came from.
   */
  private ConsumerRecord<byte[], byte[]> source(Record<byte[], byte[]> record) {
    var h = record.headers().lastHeader(SpanRouter.SOURCE_HEADER);
    if (h == null) {
      return Decoding.consumerRecord(record, context.recordMetadata());
    }
    ByteBuffer b = ByteBuffer.wrap(h.value());
    return new ConsumerRecord<>(
        sourceTopic,
        b.getInt(),
        b.getLong(),
        record.timestamp(),
        TimestampType.CREATE_TIME,
        record.key() == null ? -1 : record.key().length,
        record.value() == null ? -1 : record.value().length,
        record.key(),
        record.value(),
        record.headers(),
        java.util.Optional.empty());
  }

  private static String header(Record<byte[], byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.US_ASCII);
  }

  private void sendUnsent() {
    if (!unsent.isEmpty()) {
      List<WindowPartial> out = new ArrayList<>(unsent);
      unsent.clear();
      send(out, context.currentSystemTimeMs());
    }
  }

  private void send(List<WindowPartial> closed, long timestamp) {
    if (closed.isEmpty()) {
      return;
    }
    for (WindowPartial p : closed) {
      PartialMessage m =
          new PartialMessage(false, partition, partitions, EpochNanos.of(p.start()), p.toBytes());
      context.forward(new Record<>(null, m.toBytes(), timestamp), PARTIALS_SINK);
    }
    meters.partialsSent(closed.size());
    Instant closedUpTo = aggregator.closedUpTo();
    long closedNanos = EpochNanos.of(closedUpTo);
    store.put(CLOSED_UP_TO_KEY, ByteBuffer.allocate(8).putLong(closedNanos).array());
    for (Iterator<Map.Entry<Long, Long>> it = stored.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Long> e = it.next();
      if (e.getValue() < closedNanos - retainNanos) {
        store.delete(e.getKey());
        it.remove();
      }
    }
    floorChanged();
  }

  /** Tells the purge when the lowest stored offset changed (see {@link PurgeFloors}). */
  private void floorChanged() {
    long now = stored.isEmpty() ? PurgeFloors.NONE : stored.firstKey();
    if (now == floor) {
      return;
    }
    floor = now;
    if (sawRecord) {
      floors.changed(storeInput, nextOffset, floor);
    } else {
      floors.changed(storeInput, PurgeFloors.UNKNOWN_POSITION, floor);
      floorPositionUnknown = true;
    }
  }

  /**
   * Wall-clock check: a partition that has had no record for a while tells the engine it is idle,
   * with where its next window starts, and repeats it now and then (an engine that moved to another
   * instance learns it again).
   */
  private void idleCheck() {
    sendUnsent();
    if (lanes > 0) {
      return; // the span router's lanes say when they are idle, in order with their spans
    }
    ticksWithoutRecords++;
    if (ticksWithoutRecords >= IDLE_TICKS
        && input != null
        && !lag.caughtUp(context.taskId(), input, nextOffset)) {
      ticksWithoutRecords = IDLE_TICKS - 1;
      return;
    }
    if (ticksWithoutRecords >= IDLE_TICKS) {
      send(aggregator.laneIdlePartials(""), context.currentSystemTimeMs());
    }
    if (aggregator.quiescent()
        && (ticksWithoutRecords == IDLE_TICKS
            || (ticksWithoutRecords > IDLE_TICKS
                && ticksWithoutRecords % IDLE_REPEAT_TICKS == 0))) {
      sayIdle(context.currentSystemTimeMs());
    }
  }

  /**
   * Tells the engine this partition has nothing open and nothing to read, so that windows close
   * without it; repeated messages are harmless (the engine keeps the latest).
   */
  private void sayIdle(long timestamp) {
    Instant closedUpTo = aggregator.closedUpTo();
    PartialMessage m =
        new PartialMessage(
            true,
            partition,
            partitions,
            closedUpTo == null ? Long.MIN_VALUE : EpochNanos.of(closedUpTo),
            new byte[0]);
    context.forward(new Record<>(null, m.toBytes(), timestamp), PARTIALS_SINK);
    saidIdle = true;
  }

  @Override
  public void close() {
    LOG.info(
        "trace partition {} closing: {}, windows closed up to {}",
        partition,
        aggregator == null ? null : aggregator.stats(),
        aggregator == null ? null : aggregator.closedUpTo());
    if (lastStats != null) {
      meters.pending(-lastStats.pendingTraces());
    }
    if (storeInput != null) {
      floors.closed(storeInput);
    }
  }
}
