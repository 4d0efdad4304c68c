package dev.vigil.ingest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Remembers when the poll loop last found nothing left to read, so that other threads can wait for
 * it. The ingest thread reports polls; any thread may wait.
 */
final class CatchUpTracker {
  private final Object lock = new Object();
  private long caughtUpPollStart;
  private boolean caughtUpSeen;

  /** Called by the ingest thread after a poll that returned no records. */
  void emptyPoll(long pollStartNanos, Consumer<?, ?> consumer) {
    if (!noLag(consumer)) {
      return;
    }
    synchronized (lock) {
      caughtUpPollStart = pollStartNanos;
      caughtUpSeen = true;
      lock.notifyAll();
    }
  }

  /** Wakes waiters so they can notice that the source was closed. */
  void wakeUp() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /**
   * Waits until an empty, lag-free poll started after this call.
   *
   * @param closed true once the waiting is pointless
   * @return true if caught up, false on timeout or when {@code closed} became true
   */
  boolean await(Duration timeout, BooleanSupplier closed) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    synchronized (lock) {
      while (!(caughtUpSeen && caughtUpPollStart - start >= 0)) {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMillis <= 0 || closed.getAsBoolean()) {
          return false;
        }
        lock.wait(remainingMillis);
      }
      return true;
    }
  }

  private static boolean noLag(Consumer<?, ?> consumer) {
    Set<TopicPartition> assigned = consumer.assignment();
    if (assigned.isEmpty()) {
      return false;
    }
    for (TopicPartition tp : assigned) {
      var lag = consumer.currentLag(tp);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return true;
  }
}
