package dev.vigil.service.alerting;

import dev.vigil.service.pipeline.PipelineListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands alert reports to the sinks without ever blocking the pipeline: each sink has a bounded
 * queue and a thread of its own that sends what has queued up as one batch, retrying a failed
 * delivery with exponential back-off ({@code initialBackoff}, doubling up to {@code maxBackoff}, at
 * most {@code maxAttempts} tries; a 4xx answer is not retried). A full queue drops its oldest
 * report (OpenTelemetry's {@code BatchSpanProcessor} policy). Silenced reports are not sent. All of
 * it is counted: {@code vigil.sinks.deliveries{sink,outcome=delivered|failed}}, {@code
 * vigil.sinks.retries{sink}}, {@code vigil.sinks.dropped{sink}}, {@code vigil.alerts.silenced}.
 */
public final class AlertNotifier implements PipelineListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertNotifier.class);
  public static final int DEFAULT_QUEUE_CAPACITY = 1000;
  public static final int DEFAULT_MAX_BATCH = 100;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  private final List<Lane> lanes = new ArrayList<>();
  private final Counter silenced;
  private final java.util.function.UnaryOperator<String> redaction;

  private AlertNotifier(Builder b) {
    this.silenced = b.registry.counter("vigil.alerts.silenced");
    this.redaction = b.redaction;
    for (AlertSink sink : b.sinks) {
      lanes.add(new Lane(sink, b));
    }
    lanes.forEach(l -> l.thread.start());
  }

  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  @Override
  public void onAlert(Alert alert) {
    if (alert.silenced()) {
      silenced.increment();
      return;
    }
    Alert out = redacted(alert);
    lanes.forEach(l -> l.offer(out));
  }

  /** The alert as it may leave the process: its label and annotation values redacted. */
  Alert redacted(Alert a) {
    return redaction == null ? a : a.mapText(redaction);
  }

  /** Waits up to {@code timeout} for the queues to drain, then stops the sink threads. */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Lane l : lanes) {
      l.closing = true;
      l.thread.interrupt();
    }
    for (Lane l : lanes) {
      try {
        l.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** One sink: its queue, its thread, its counters. */
  private static final class Lane implements Runnable {
    private final AlertSink sink;
    private final BlockingQueue<Alert> queue;
    private final int maxBatch;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final Counter delivered;
    private final Counter failed;
    private final Counter retries;
    private final Counter dropped;
    private final Thread thread;
    private volatile boolean closing;

    Lane(AlertSink sink, Builder b) {
      this.sink = sink;
      this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
      this.maxBatch = b.maxBatch;
      this.initialBackoff = b.initialBackoff;
      this.maxBackoff = b.maxBackoff;
      this.maxAttempts = b.maxAttempts;
      String name = sink.name();
      this.delivered =
          b.registry.counter("vigil.sinks.deliveries", "sink", name, "outcome", "delivered");
      this.failed = b.registry.counter("vigil.sinks.deliveries", "sink", name, "outcome", "failed");
      this.retries = b.registry.counter("vigil.sinks.retries", "sink", name);
      this.dropped = b.registry.counter("vigil.sinks.dropped", "sink", name);
      this.thread = new Thread(this, "vigil-sink-" + name);
      thread.setDaemon(true);
    }

    void offer(Alert a) {
      while (!queue.offer(a)) {
        if (queue.poll() != null) {
          dropped.increment();
        }
      }
    }

    @Override
    public void run() {
      while (!(closing && queue.isEmpty())) {
        List<Alert> batch = new ArrayList<>();
        try {
          Alert first = closing ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        } catch (InterruptedException e) {
          if (closing) {
            continue; // drain what is left, then stop
          }
          return;
        }
        queue.drainTo(batch, maxBatch - 1);
        send(batch);
      }
    }

    private void send(List<Alert> batch) {
      Duration backoff = initialBackoff;
      for (int attempt = 1; ; attempt++) {
        try {
          sink.deliver(batch);
          delivered.increment(batch.size());
          return;
        } catch (DeliveryException e) {
          if (!e.retryable() || attempt >= maxAttempts || closing) {
            failed.increment(batch.size());
            log.warn(
                "{} alerts not delivered to {} after {} attempt(s): {}",
                batch.size(),
                sink.name(),
                attempt,
                e.getMessage());
            return;
          }
          retries.increment();
          log.info(
              "delivery to {} failed ({}); retrying in {}", sink.name(), e.getMessage(), backoff);
          try {
            Thread.sleep(backoff.toMillis());
          } catch (InterruptedException ie) {
            if (!closing) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          backoff =
              backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : backoff.multipliedBy(2);
        } catch (RuntimeException e) {
          failed.increment(batch.size());
          log.warn("sink {} failed; alerts dropped", sink.name(), e);
          return;
        }
      }
    }
  }

  /** Configures an {@link AlertNotifier}. */
  public static final class Builder {
    private final MeterRegistry registry;
    private final List<AlertSink> sinks = new ArrayList<>();
    private java.util.function.UnaryOperator<String> redaction;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Applied to every label and annotation value before an alert reaches a sink (the configured
     * redaction patterns: attribute values in evidence text must not leave the process).
     */
    public Builder redaction(java.util.function.UnaryOperator<String> redaction) {
      this.redaction = Objects.requireNonNull(redaction, "redaction");
      return this;
    }

    public Builder sink(AlertSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** Reports waiting per sink before the oldest is dropped (default 1000). */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Most reports in one delivery (default 100). */
    public Builder maxBatch(int maxBatch) {
      this.maxBatch = maxBatch;
      return this;
    }

    /** Wait before the first retry; doubled after each (default 1 s). */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** Longest wait between two tries (default 1 min). */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Tries per batch, the first included (default 8). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public AlertNotifier build() {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1");
      }
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1");
      }
      if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
        throw new IllegalArgumentException("initialBackoff must be positive");
      }
      if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      return new AlertNotifier(this);
    }
  }
}
