package dev.vigil.ingest;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink runs on a thread of its own, fed by the ingest thread through a bounded queue of decoded
 * records and sink calls. See {@link SinkStage#handOff}.
 *
 * <p>The queue is the back-pressure: {@link #submit} blocks while it is full, so the consumer never
 * gets more than {@code capacity} records ahead of the sink. After each item the sink thread reads
 * {@link TelemetrySink#durableUpTo()} (every sink method is called on the sink thread only) and
 * publishes it with the number of records delivered, so the ingest thread never commits a record
 * the sink has not finished. A sink that throws is handled by {@link RecordHandler#deliver}, which
 * sends the record's dead letter from the sink thread; a failing {@code lanesAssigned}, {@code
 * laneIdle} or {@code resumeFrom} is logged and the stream goes on. An {@link Error} stops the sink
 * thread, and the next {@link #submit} then stops the ingest thread.
 */
final class HandOffSinkStage implements SinkStage {
  private static final Logger LOG = LoggerFactory.getLogger(HandOffSinkStage.class);
  private static final long WAIT_MILLIS = 100;

  private final RecordHandler handler;
  private final TelemetrySink sink;
  private final BlockingQueue<Object> queue;
  private final Thread thread;

  // Written by the ingest thread (or whoever drives a source that was not started).
  private volatile boolean started;
  private volatile boolean stopRequested;
  private long submittedItems;

  // Sink thread only.
  private long deliveredRecords;
  private Optional<Instant> lastDurable;

  // Guarded by lock. Before the first record the durable time is empty: nothing was delivered, so
  // there is nothing it could cover.
  private final Object lock = new Object();
  private Progress progress = new Progress(0, Optional.empty());
  private long doneItems;
  private boolean stopped;
  private Throwable failure;

  HandOffSinkStage(RecordHandler handler, TelemetrySink sink, int capacity, String threadName) {
    this.handler = handler;
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  @Override
  public void submit(IngestedRecord record) {
    put(record);
  }

  @Override
  public void control(Consumer<TelemetrySink> call) {
    if (stopRequested) {
      LOG.debug("sink stage closed; a late sink call is dropped");
      return;
    }
    put(call);
  }

  @Override
  public Progress progress() {
    synchronized (lock) {
      return progress;
    }
  }

  @Override
  public void drain() {
    if (!started || Thread.currentThread() == thread) {
      return;
    }
    boolean interrupted = false;
    synchronized (lock) {
      while (doneItems < submittedItems && !stopped) {
        try {
          lock.wait(WAIT_MILLIS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isSinkThread(Thread candidate) {
    return candidate == thread;
  }

  @Override
  public void close() {
    stopRequested = true; // the sink thread ends once the queue is empty
    if (!started || Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(KafkaTelemetrySource.CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("the sink thread did not stop within {}", KafkaTelemetrySource.CLOSE_TIMEOUT);
    }
  }

  /** Queues an item, waiting while the queue is full. */
  private void put(Object item) {
    if (stopRequested) {
      throw new IllegalStateException("the sink stage is closed");
    }
    if (!started) {
      started = true;
      thread.start();
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (queue.offer(item, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            submittedItems++;
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true; // cleared: the next offer waits again
        }
        synchronized (lock) {
          if (stopped) {
            throw new IllegalStateException("the sink thread stopped", failure);
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      while (true) {
        Object item = queue.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (item == null) {
          if (stopRequested) {
            return;
          }
          continue;
        }
        if (item instanceof IngestedRecord record) {
          handler.deliver(record);
          deliveredRecords++;
        } else {
          call(item);
        }
        Optional<Instant> durable = durableUpTo();
        synchronized (lock) {
          progress = new Progress(deliveredRecords, durable);
          doneItems++;
          lock.notifyAll();
        }
      }
    } catch (InterruptedException e) {
      LOG.warn("the sink thread was interrupted; stopping");
    } catch (RuntimeException | Error e) {
      LOG.error("the sink thread stopped on an unexpected error", e);
      synchronized (lock) {
        failure = e;
      }
      throw e;
    } finally {
      synchronized (lock) {
        stopped = true;
        lock.notifyAll();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void call(Object item) {
    try {
      ((Consumer<TelemetrySink>) item).accept(sink);
    } catch (RuntimeException e) {
      LOG.error("a sink call failed; continuing", e);
    }
  }

  /**
   * The sink's durable time; if asking fails, the last one read (it only moves forward), or the
   * epoch if there is none, so that nothing holding spans counts as durable.
   */
  private Optional<Instant> durableUpTo() {
    try {
      lastDurable = sink.durableUpTo();
    } catch (RuntimeException e) {
      LOG.error("the sink's durableUpTo failed; keeping the previous value", e);
      if (lastDurable == null) {
        return Optional.of(Instant.EPOCH);
      }
    }
    return lastDurable;
  }
}
