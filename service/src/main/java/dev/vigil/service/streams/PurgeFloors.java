package dev.vigil.service.streams;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The lowest input offset each trace partition running on this instance may still have to re-read
 * on a restore (the lowest offset in its committed {@code trace-records} store), so that the purge
 * of the repartition topic never deletes below it.
 *
 * <p>A trace partition changes its floor as closed windows let it drop records; the change is part
 * of the committed state only once the transaction that carries it has committed. A change made
 * after processing input offset {@code o - 1} is committed at the latest with the next record's
 * offset, so it counts once the committed offset is past {@code o}: a purge never relies on a floor
 * a crash could still undo. Partitions not running here have no floor: the instance that runs them
 * purges them.
 */
final class PurgeFloors {
  /** No stored record: nothing below the committed offset is needed. */
  static final long NONE = Long.MAX_VALUE;

  /** A change made before the task processed a record: its position is not known yet. */
  static final long UNKNOWN_POSITION = Long.MAX_VALUE;

  /** Per partition, the changes {position, floor} not yet known to be committed, and the last. */
  private final Map<TopicPartition, Deque<long[]>> changes = new HashMap<>();

  /** The floor of a store just restored (committed state). */
  synchronized void restored(TopicPartition partition, long floor) {
    Deque<long[]> d = new ArrayDeque<>();
    d.add(new long[] {-1, floor});
    changes.put(partition, d);
  }

  /**
   * @param position the offset after the last input record processed when the floor changed, or
   *     {@link #UNKNOWN_POSITION}
   */
  synchronized void changed(TopicPartition partition, long position, long floor) {
    Deque<long[]> d = changes.get(partition);
    if (d != null) {
      d.add(new long[] {position, floor});
    }
  }

  /** The partition's task closed here (or moved): this instance no longer purges it. */
  synchronized void closed(TopicPartition partition) {
    changes.remove(partition);
  }

  /**
   * The lowest offset the committed store may need, given the application's committed offset of
   * that partition; empty when the partition does not run on this instance.
   */
  synchronized OptionalLong floor(TopicPartition partition, long committed) {
    Deque<long[]> d = changes.get(partition);
    if (d == null) {
      return OptionalLong.empty();
    }
    // The last change committed is the committed floor; the ones before it are superseded.
    long[] last = null;
    int before = 0;
    int i = 0;
    for (long[] c : d) {
      if (c[0] < committed) {
        last = c;
        before = i;
      }
      i++;
    }
    for (int k = 0; k < before; k++) {
      d.removeFirst();
    }
    return OptionalLong.of(last == null ? d.getFirst()[1] : last[1]);
  }
}
