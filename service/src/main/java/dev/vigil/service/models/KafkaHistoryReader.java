package dev.vigil.service.models;

import dev.vigil.ingest.OtlpRecordDecoder;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a time range of an OTLP topic for batch retraining, without disturbing the service that
 * consumes it: partitions are assigned by hand and no consumer group is joined or committed to.
 * Each partition is read from the first offset whose record timestamp is at or after {@code from}
 * ({@link KafkaConsumer#offsetsForTimes}) up to the first one after {@code to}, or its end offset
 * when the read started; records in between whose timestamp is outside the range (producer
 * timestamps need not grow) are counted and skipped. Records are decoded by the stream's own {@link
 * OtlpRecordDecoder}; those that do not decode are counted by reason, never silently dropped (the
 * service has dead-lettered them already, so nothing is written here).
 *
 * <p>The partitions are merged by record timestamp before their spans reach the caller, so event
 * time moves forward as in the stream and no partition finds its windows closed. A partition whose
 * buffer holds {@value #MAX_BUFFERED} records is paused until the slowest one caught up, which
 * bounds the memory to that many records per partition.
 */
public final class KafkaHistoryReader {
  static final int MAX_BUFFERED = 2_000;
  static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What a read found.
   *
   * @param partitions partitions of the topic
   * @param records records in the offset ranges read
   * @param used records in the time range that gave spans
   * @param outsideRange records in the offset ranges whose timestamp is outside the time range
   * @param malformed records in the time range that did not decode (or had invalid items), by
   *     reason
   * @param spans spans handed on
   * @param first the earliest record timestamp used, or null
   * @param last the latest record timestamp used, or null
   */
  public record Report(
      int partitions,
      long records,
      long used,
      long outsideRange,
      Map<String, Long> malformed,
      long spans,
      Instant first,
      Instant last) {
    public Report {
      malformed = Map.copyOf(malformed);
    }

    public long malformedRecords() {
      return malformed.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Map<String, Object> clientProperties;
  private final String topic;
  private final OtlpEncoding encoding;
  private final Duration stallTimeout;

  /**
   * @param clientProperties Kafka client properties: {@code bootstrap.servers} and any security
   *     settings
   * @param topic the OTLP traces topic
   * @param encoding its fixed encoding, or null to detect it per record
   */
  public KafkaHistoryReader(
      Map<String, Object> clientProperties, String topic, OtlpEncoding encoding) {
    this(clientProperties, topic, encoding, DEFAULT_STALL_TIMEOUT);
  }

  KafkaHistoryReader(
      Map<String, Object> clientProperties,
      String topic,
      OtlpEncoding encoding,
      Duration stallTimeout) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topic = topic;
    this.encoding = encoding;
    this.stallTimeout = stallTimeout;
  }

  /**
   * Reads the range and hands each record's spans to {@code spans}, in record timestamp order.
   *
   * @param progress receives a line now and then
   * @throws KafkaException if the topic does not exist or the cluster stops answering
   */
  public Report read(
      Instant from, Instant to, Consumer<TelemetryBatch> spans, Consumer<String> progress) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "the range ends (" + to + ") before it starts (" + from + ")");
    }
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-retrain");
    OtlpRecordDecoder decoder =
        new OtlpRecordDecoder(
            Map.of(topic, Signal.TRACES),
            encoding,
            new IngestMetrics(new SimpleMeterRegistry(), IngestMetrics.SOURCE_KAFKA),
            "unused");
    Tally tally = new Tally(from, to, decoder, spans);
    int partitionCount;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new KafkaException(
            "topic '"
                + topic
                + "' does not exist (set kafka.topics.spans to the OTLP traces topic)");
      }
      List<TopicPartition> parts = new ArrayList<>();
      infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      partitionCount = parts.size();
      consumer.assign(parts);
      Map<TopicPartition, Long> stop = stopOffsets(consumer, parts, to);
      Map<TopicPartition, Long> start = new HashMap<>();
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
      Map<TopicPartition, OffsetAndTimestamp> atFrom =
          consumer.offsetsForTimes(timestamps(parts, from.toEpochMilli()));
      for (TopicPartition tp : parts) {
        OffsetAndTimestamp o = atFrom.get(tp);
        start.put(tp, o == null ? stop.get(tp) : Math.max(o.offset(), begin.get(tp)));
      }
      Set<TopicPartition> active = new HashSet<>();
      Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
      long total = 0;
      for (TopicPartition tp : parts) {
        long n = stop.get(tp) - start.get(tp);
        if (n > 0) {
          consumer.seek(tp, start.get(tp));
          active.add(tp);
          buffers.put(tp, new ArrayDeque<>());
          total += n;
        }
      }
      consumer.pause(new HashSet<>(parts));
      consumer.resume(active);
      progress.accept(
          String.format(
              "%s: %d partitions, at most %,d records between %s and %s",
              topic, parts.size(), total, from, to));
      long lastProgress = System.nanoTime();
      long lastReport = System.nanoTime();
      while (!active.isEmpty() || buffers.values().stream().anyMatch(b -> !b.isEmpty())) {
        if (!active.isEmpty()) {
          // A partition far ahead of the slowest waits, so that memory stays bounded.
          for (TopicPartition tp : active) {
            if (buffers.get(tp).size() >= MAX_BUFFERED) {
              consumer.pause(List.of(tp));
            } else {
              consumer.resume(List.of(tp));
            }
          }
          var polled = consumer.poll(Duration.ofMillis(200));
          if (!polled.isEmpty()) {
            lastProgress = System.nanoTime();
          }
          for (ConsumerRecord<byte[], byte[]> r : polled) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (active.contains(tp) && r.offset() < stop.get(tp)) {
              buffers.get(tp).add(r);
            }
          }
          for (TopicPartition tp : List.copyOf(active)) {
            if (consumer.position(tp) >= stop.get(tp)) {
              active.remove(tp);
              consumer.pause(List.of(tp));
            }
          }
          if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
            throw new KafkaException(
                "no records from "
                    + active
                    + " for "
                    + stallTimeout.toSeconds()
                    + " s although they hold more in the range; is the cluster reachable?");
          }
        }
        // Hand on records in timestamp order while every partition still being read has one.
        while (true) {
          TopicPartition next = null;
          long nextTs = Long.MAX_VALUE;
          boolean blocked = false;
          for (var e : buffers.entrySet()) {
            ConsumerRecord<byte[], byte[]> head = e.getValue().peek();
            if (head == null) {
              if (active.contains(e.getKey())) {
                blocked = true;
                break;
              }
              continue;
            }
            if (head.timestamp() < nextTs) {
              nextTs = head.timestamp();
              next = e.getKey();
            }
          }
          if (blocked || next == null) {
            break;
          }
          tally.accept(buffers.get(next).poll());
          lastProgress = System.nanoTime();
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          lastReport = System.nanoTime();
          progress.accept(String.format("%,d of at most %,d records read", tally.records, total));
        }
      }
    }
    return tally.report(partitionCount);
  }

  /** The first offset after {@code to}, or the end offset when no record is after it. */
  private static Map<TopicPartition, Long> stopOffsets(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> parts, Instant to) {
    Map<TopicPartition, Long> end = consumer.endOffsets(parts);
    Map<TopicPartition, OffsetAndTimestamp> after =
        consumer.offsetsForTimes(timestamps(parts, to.toEpochMilli() + 1));
    Map<TopicPartition, Long> stop = new HashMap<>();
    for (TopicPartition tp : parts) {
      OffsetAndTimestamp o = after.get(tp);
      stop.put(tp, o == null ? end.get(tp) : Math.min(o.offset(), end.get(tp)));
    }
    return stop;
  }

  private static Map<TopicPartition, Long> timestamps(List<TopicPartition> parts, long ts) {
    Map<TopicPartition, Long> m = new HashMap<>();
    parts.forEach(tp -> m.put(tp, ts));
    return m;
  }

  /** Counts and decodes the records handed on. */
  private static final class Tally {
    private final long fromMs;
    private final long toMs;
    private final OtlpRecordDecoder decoder;
    private final Consumer<TelemetryBatch> spans;
    private final Map<String, Long> malformed = new TreeMap<>();
    private long records;
    private long used;
    private long outside;
    private long spanCount;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    Tally(Instant from, Instant to, OtlpRecordDecoder decoder, Consumer<TelemetryBatch> spans) {
      this.fromMs = from.toEpochMilli();
      this.toMs = to.toEpochMilli();
      this.decoder = decoder;
      this.spans = spans;
    }

    void accept(ConsumerRecord<byte[], byte[]> r) {
      records++;
      if (r.timestamp() < fromMs || r.timestamp() > toMs) {
        outside++;
        return;
      }
      OtlpRecordDecoder.Outcome o = decoder.decode(r);
      if (o.deadLetter() != null) {
        // The reason header of the stream's dead letters (DeadLetters.REASON).
        Header reason = o.deadLetter().headers().lastHeader("vigil.dlq.reason");
        malformed.merge(
            reason == null ? "unknown" : new String(reason.value(), StandardCharsets.UTF_8),
            1L,
            Long::sum);
      }
      if (o.batch() != null && !o.batch().spans().isEmpty()) {
        used++;
        spanCount += o.batch().spans().size();
        first = Math.min(first, r.timestamp());
        last = Math.max(last, r.timestamp());
        spans.accept(o.batch());
      }
    }

    Report report(int partitions) {
      return new Report(
          partitions,
          records,
          used,
          outside,
          malformed,
          spanCount,
          first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(first),
          last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last));
    }
  }
}
