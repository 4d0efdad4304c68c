package dev.vigil.service.streams;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-reads the input records a trace partition's store names from the input topic partition they
 * came from (the repartition topic, or the spans topic when the exporter partitions by trace id),
 * as Kafka Streams restores a source KTable from its source topic: the topic is already a durable
 * log, so the store keeps offsets, not payloads. The consumer must read committed records only (the
 * offsets stored were read that way).
 */
final class InputReplay {
  private InputReplay() {}

  /** A record re-read at its offset. */
  interface Sink {
    void accept(long offset, byte[] value);
  }

  /**
   * @param replayed records found and handed over, all of them stored offsets
   * @param missing stored offsets that are no longer in the topic (deleted by its retention or a
   *     records deletion)
   * @param firstMissing the lowest missing offset, or -1
   * @param lastMissing the highest missing offset, or -1
   * @param logStart the partition's first offset when the replay began
   */
  record Result(long replayed, long missing, long firstMissing, long lastMissing, long logStart) {}

  /**
   * Hands over, in offset order, the records of {@code partition} at the given offsets, and only
   * those.
   *
   * @param stall how long the read may go without progress before it gives up
   * @throws IllegalStateException when the partition cannot be read within {@code stall}
   */
  static Result replay(
      Consumer<byte[], byte[]> consumer,
      TopicPartition partition,
      NavigableSet<Long> offsets,
      Duration stall,
      Sink sink) {
    if (offsets.isEmpty()) {
      return new Result(0, 0, -1, -1, -1);
    }
    consumer.assign(List.of(partition));
    long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    long last = offsets.last();
    long stopAt = Math.min(last + 1, end);
    consumer.seek(partition, Math.max(offsets.first(), logStart));
    Iterator<Long> wanted = offsets.iterator();
    long next = wanted.next();
    boolean more = true;
    long replayed = 0;
    long missing = 0;
    long firstMissing = -1;
    long lastMissing = -1;
    long progressDeadline = System.nanoTime() + stall.toNanos();
    while (more && consumer.position(partition) < stopAt) {
      var records = consumer.poll(Duration.ofMillis(200)).records(partition);
      if (records.isEmpty()) {
        if (System.nanoTime() > progressDeadline) {
          throw new IllegalStateException(
              "could not re-read "
                  + partition
                  + " from offset "
                  + consumer.position(partition)
                  + " to "
                  + last
                  + " within "
                  + stall
                  + " to restore its trace windows; the task will be retried");
        }
        continue;
      }
      progressDeadline = System.nanoTime() + stall.toNanos();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        long o = r.offset();
        while (more && next < o) {
          missing++;
          firstMissing = firstMissing < 0 ? next : firstMissing;
          lastMissing = next;
          more = wanted.hasNext();
          next = more ? wanted.next() : -1;
        }
        if (!more) {
          break;
        }
        if (next == o) {
          sink.accept(o, r.value());
          replayed++;
          more = wanted.hasNext();
          next = more ? wanted.next() : -1;
        }
      }
    }
    while (more) {
      missing++;
      firstMissing = firstMissing < 0 ? next : firstMissing;
      lastMissing = next;
      more = wanted.hasNext();
      next = more ? wanted.next() : -1;
    }
    return new Result(replayed, missing, firstMissing, lastMissing, logStart);
  }
}
