package dev.vigil.ingest;

import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes OTLP messages from Kafka (the topics written by the OpenTelemetry Collector's kafka
 * exporter), decodes them and hands the records to a {@link TelemetrySink}.
 *
 * <p>Delivery is at least once: a message's offset is committed only after what the sink accepted
 * of it was made durable (see {@link TelemetrySink#durableUpTo()}) and its dead letter, if it has
 * one, was acknowledged ({@code acks=all}, idempotent producer). A message that cannot be decoded,
 * is empty, has invalid items or makes the sink throw goes to the dead-letter topic with its
 * original key, value and headers plus {@code vigil.dlq.reason}, {@code vigil.dlq.message}, {@code
 * vigil.dlq.topic}, {@code vigil.dlq.partition} and {@code vigil.dlq.offset}; it never stops the
 * stream.
 *
 * <p>Metrics (Micrometer counters, all tagged {@code source=kafka}): {@code vigil.ingest.records}
 * (tags {@code signal}, {@code outcome=accepted|dead_letter}), {@code vigil.ingest.dead_letters}
 * (tag {@code reason}), {@code vigil.ingest.items} (tag {@code signal}; spans, metric points or log
 * records accepted) and {@code vigil.ingest.rejected_items} (tags {@code signal}, {@code reason};
 * items that failed validation). See {@link dev.vigil.ingest.internal.IngestMetrics}.
 *
 * <p>Each item (span, metric data point, log record) is validated on its own, as OTLP/HTTP does
 * ({@link dev.vigil.telemetry.otlp.OtlpDecoder#decodePartial}): bad id, end before start,
 * implausible timestamp, NaN value. A message with invalid items is dead-lettered for them, with a
 * reason from their rejections and the counts in {@code vigil.dlq.rejected_items}, {@code
 * vigil.dlq.accepted_items} and {@code vigil.dlq.rejected_by_reason}; its valid items still go on
 * to the sink, and then the letter also carries {@code vigil.dlq.partial=true}. Since the letter
 * keeps the original bytes, replaying it delivers the accepted items again: spans are deduplicated,
 * but metric points and log records may be counted twice while their windows are open (see {@code
 * DeadLetters}). A message that does not decode at all is dead-lettered whole. A dead letter too
 * large for the dead-letter topic is written without its value (headers {@code
 * vigil.dlq.value_omitted}, {@code vigil.dlq.value_bytes}) rather than stopping the stream.
 *
 * <p>Threads. {@link #start()} runs the poll loop on a daemon thread named {@value #THREAD_NAME}.
 * By default ({@link KafkaTelemetrySourceBuilder#pipelinedSink}) the sink runs on a second daemon
 * thread, {@value #SINK_THREAD_NAME}: the ingest thread polls, decodes, dead-letters what does not
 * decode and puts each record's batch, with the record itself, on a bounded queue ({@link
 * KafkaTelemetrySourceBuilder#sinkQueueCapacity}); it blocks while the queue is full, so the
 * consumer never runs more than that many records ahead of the sink. The sink thread makes every
 * sink call: {@code accept}, {@code durableUpTo}, and {@code lanesAssigned}, {@code laneIdle} and
 * {@code resumeFrom}, which travel through the same queue so that they stay in order with the
 * batches. A sink that throws has its record dead-lettered ({@code sink_error}) from the sink
 * thread. Only the ingest thread uses the consumer, offset commits included; it commits a record
 * only once the sink thread has finished it and the {@code durableUpTo} read after it covers it, so
 * a record decoded but still queued is never committed. On a rebalance the ingest thread waits for
 * the queue to empty before it commits the revoked partitions; {@link #close()} stops polling, lets
 * the sink finish everything that was decoded, then commits and closes the clients. With {@code
 * pipelinedSink(false)} the sink runs on the ingest thread, one record at a time.
 */
public final class KafkaTelemetrySource implements AutoCloseable {
  /** Consumer group used when none is given. */
  public static final String DEFAULT_GROUP_ID = "vigil";

  /** Dead-letter topic used when none is given. */
  public static final String DEFAULT_DLQ_TOPIC = KafkaTopics.DLQ;

  /** How long one poll waits for records when none is given. */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

  /** The name of the ingest thread. */
  public static final String THREAD_NAME = "vigil-ingest";

  /** The name of the thread that runs the sink, when it does not run on the ingest thread. */
  public static final String SINK_THREAD_NAME = "vigil-ingest-sink";

  /** Records decoded ahead of the sink at most, when the sink runs on its own thread. */
  public static final int DEFAULT_SINK_QUEUE_CAPACITY = 16;

  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTelemetrySource.class);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> dlqProducer;
  private final RecordHandler handler;
  private final SinkStage stage;
  private final IngestMetrics metrics;
  private final Duration pollTimeout;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final Thread thread;
  private volatile boolean stopping;

  /** The latest polled batch has been fully handled, so its offsets may be committed. */
  private boolean batchComplete = true;

  private final CatchUpTracker catchUp = new CatchUpTracker();

  /** Per partition, handled records not yet committed: {offset, newest event time}. */
  private final Map<TopicPartition, ArrayDeque<long[]>> uncommitted = new HashMap<>();

  /** Records submitted to the sink stage and not yet counted as handled, oldest first. */
  private final ArrayDeque<IngestedRecord> inFlight = new ArrayDeque<>();

  /** Records moved from {@link #inFlight} to {@link #uncommitted} so far. */
  private long settledRecords;

  /** The sink's durable time as of the last record settled. */
  private Optional<Instant> durable = Optional.empty();

  /** Records were settled since the last commit. */
  private boolean settledSinceCommit;

  private boolean resumeChecked;

  /**
   * How often offsets are committed while running (and always on close and on rebalance): a
   * synchronous commit per poll would cost more than decoding. A crash reads again at most this
   * much, which the sink's durable-time check and dedupe absorb.
   */
  static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

  private long lastCommitNanos = System.nanoTime();
  private final Map<String, Signal> signalsByTopic;
  private final Set<TopicPartition> idleLanes = new HashSet<>();
  static final String DURABLE_PREFIX = "vigil.durableUpTo=";

  KafkaTelemetrySource(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> dlqProducer,
      Map<Signal, String> topics,
      String dlqTopic,
      OtlpEncoding encoding,
      TelemetrySink sink,
      MeterRegistry registry,
      Duration pollTimeout,
      int sinkQueueCapacity) {
    this.consumer = consumer;
    this.dlqProducer = dlqProducer;
    Map<String, Signal> signalsByTopic = new HashMap<>();
    topics.forEach((signal, topic) -> signalsByTopic.put(topic, signal));
    this.signalsByTopic = Map.copyOf(signalsByTopic);
    this.metrics = new IngestMetrics(registry, IngestMetrics.SOURCE_KAFKA);
    this.handler =
        new RecordHandler(signalsByTopic, encoding, sink, metrics, dlqProducer, dlqTopic);
    this.pollTimeout = pollTimeout;
    this.stage =
        sinkQueueCapacity > 0
            ? SinkStage.handOff(handler, sink, sinkQueueCapacity, SINK_THREAD_NAME)
            : SinkStage.direct(handler, sink);
    this.thread = new Thread(this::run, THREAD_NAME);
    this.thread.setDaemon(true);
    consumer.subscribe(signalsByTopic.keySet(), new Rebalance());
  }

  /** Returns a builder with the documented defaults. */
  public static KafkaTelemetrySourceBuilder builder() {
    return new KafkaTelemetrySourceBuilder();
  }

  /** Records handed to the sink so far. */
  public long acceptedRecords() {
    return metrics.acceptedTotal();
  }

  /** Records sent to the dead-letter topic so far. */
  public long deadLetters() {
    return metrics.deadLetterTotal();
  }

  /**
   * Starts the poll loop on its own daemon thread.
   *
   * @throws IllegalStateException if the source was already started or closed
   */
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException(
          "the source was already " + state.get().name().toLowerCase(Locale.ROOT));
    }
    thread.start();
  }

  /**
   * Stops the poll loop, lets the sink finish the records already decoded, commits what was handled
   * and closes the Kafka clients. Idempotent; from any thread but the ingest thread and the sink
   * thread (that is, not from the sink), every call waits up to 30 seconds for the ingest thread to
   * end.
   */
  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      awaitIngestThread(); // closed before, perhaps from the sink: still wait for the thread
      return;
    }
    stopping = true;
    catchUp.wakeUp();
    if (previous == State.NEW) {
      closeClients();
      return;
    }
    consumer.wakeup();
    awaitIngestThread();
  }

  /**
   * Waits for the ingest thread to end, unless called from it or the sink (closed from the sink).
   */
  private void awaitIngestThread() {
    Thread current = Thread.currentThread();
    if (current == thread || stage.isSinkThread(current) || !thread.isAlive()) {
      return; // from the sink: the loop ends after this record's batch (after the queued ones)
    }
    try {
      thread.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("the ingest thread did not stop within {}", CLOSE_TIMEOUT);
    }
  }

  /**
   * Polls once and handles what arrived, waiting for the sink to finish it. For tests that drive
   * the source without {@link #start()}; never call it on a started source.
   *
   * @return the number of records polled
   */
  int pollOnce() {
    if (state.get() != State.NEW) {
      throw new IllegalStateException("pollOnce is only for a source that was not started");
    }
    int polled = pollAndHandle();
    stage.drain();
    settle();
    return polled;
  }

  private void run() {
    try {
      while (!stopping) {
        try {
          pollAndHandle();
        } catch (WakeupException e) {
          // close() was called; the loop condition ends the loop
        } catch (KafkaException e) {
          if (!stopping) {
            LOG.error("ingest poll failed; retrying in {}", ERROR_BACKOFF, e);
            backOff();
          }
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("the ingest thread stopped on an unexpected error", e);
      throw e;
    } finally {
      closeClients();
    }
  }

  /**
   * Waits until the source has read everything that was in its partitions when this method was
   * called: a poll that started after the call found no records and no lag on any assigned
   * partition. Useful to drain a topic before closing (for example at the end of a demo).
   *
   * @return true if caught up, false if the timeout passed or the source was closed first
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return catchUp.await(timeout, () -> state.get() == State.CLOSED);
  }

  private int pollAndHandle() {
    long pollStart = System.nanoTime();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
    reportIdleLanes(records);
    if (records.isEmpty()) {
      settle();
      if (inFlight.isEmpty()) {
        catchUp.emptyPoll(pollStart, consumer);
      }
      if (settledSinceCommit) {
        commitEverySecond();
      }
      return 0;
    }
    batchComplete = false;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      IngestedRecord ingested = new IngestedRecord(record);
      // Decoding here rather than on the sink thread balances the two threads: each then takes
      // about half of the work (see BENCHMARKS.md, "Ingest throughput").
      handler.decode(ingested);
      inFlight.addLast(ingested);
      stage.submit(ingested);
    }
    batchComplete = true;
    settle();
    commitEverySecond();
    return records.count();
  }

  private void commitEverySecond() {
    if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
      commit(Duration.ofSeconds(60));
      lastCommitNanos = System.nanoTime();
    }
  }

  /**
   * Moves the records the sink is done with from {@link #inFlight} to {@link #uncommitted}, once
   * their dead letters (if any) are acknowledged. If a dead letter could not be written, waits for
   * the sink to finish what is queued and reads every record not yet settled again.
   */
  private void settle() {
    SinkStage.Progress progress = stage.progress();
    try {
      handler.flush();
    } catch (KafkaException e) {
      LOG.error(
          "dead letters were not written; the records since the last flush will be read again", e);
      stage.drain();
      settledRecords = stage.progress().delivered();
      rewindInFlight();
      return;
    }
    for (long n = progress.delivered() - settledRecords; n > 0; n--) {
      IngestedRecord r = inFlight.pollFirst();
      uncommitted
          .computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayDeque<>())
          .addLast(new long[] {r.offset(), r.newest()});
      settledSinceCommit = true;
    }
    settledRecords = progress.delivered();
    durable = progress.durableUpTo();
  }

  /** Seeks every partition back to its oldest record in flight and forgets them (all delivered). */
  private void rewindInFlight() {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (IngestedRecord r : inFlight) {
      first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
    }
    inFlight.clear();
    first.forEach(consumer::seek);
  }

  /** The offset of the oldest record of {@code tp} in flight, or -1. */
  private long firstInFlight(TopicPartition tp) {
    for (IngestedRecord r : inFlight) {
      if (r.partition() == tp.partition() && r.topic().equals(tp.topic())) {
        return r.offset();
      }
    }
    return -1;
  }

  /**
   * Commits, per partition, the offset after the last record whose effects the sink has made
   * durable (see {@link TelemetrySink#durableUpTo()}), with that event time in the commit's
   * metadata, so that a restarted source reads again exactly the records whose effects were still
   * in memory and tells the sink what was already counted.
   */
  private void commit(Duration timeout) {
    settledSinceCommit = false;
    long durableNanos = durable.map(EpochNanos::of).orElse(Long.MAX_VALUE);
    String metadata = durable.map(t -> DURABLE_PREFIX + EpochNanos.of(t)).orElse("");
    // Every assigned partition is committed, even one whose offset did not move, so that all of
    // them carry the newest durable event time: the restart resumes from the oldest of them.
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<TopicPartition, Integer> durableRecords = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      ArrayDeque<long[]> queue = uncommitted.getOrDefault(tp, new ArrayDeque<>());
      int n = 0;
      long next = -1;
      for (long[] entry : queue) {
        if (entry[1] != RecordHandler.NO_EVENT_TIME && entry[1] >= durableNanos) {
          next = entry[0];
          break;
        }
        n++;
      }
      if (next < 0) {
        next = firstInFlight(tp); // decoded, not yet finished by the sink
      }
      if (next < 0) {
        try {
          next = consumer.position(tp, timeout);
        } catch (KafkaException e) {
          if (e instanceof WakeupException) {
            throw e;
          }
          continue; // no position yet: nothing read from this partition
        }
      }
      offsets.put(tp, new OffsetAndMetadata(next, metadata));
      durableRecords.put(tp, n);
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, timeout);
    } catch (CommitFailedException | RetriableException e) {
      LOG.warn("offset commit failed; the batch may be delivered again: {}", e.toString());
      return;
    }
    // Forget the records made durable only once their offsets are committed.
    durableRecords.forEach(
        (tp, n) -> {
          ArrayDeque<long[]> queue = uncommitted.get(tp);
          for (int i = 0; i < n && queue != null; i++) {
            queue.pollFirst();
          }
        });
  }

  /** Tells the sink about assigned partitions that are caught up and got nothing in this poll. */
  private void reportIdleLanes(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : consumer.assignment()) {
      if (!records.records(tp).isEmpty()) {
        idleLanes.remove(tp);
        continue;
      }
      OptionalLong lag = consumer.currentLag(tp);
      Signal signal = signalsByTopic.get(tp.topic());
      if (signal != null && lag.isPresent() && lag.getAsLong() == 0 && idleLanes.add(tp)) {
        String lane = lane(tp);
        stage.control(sink -> sink.laneIdle(signal, lane));
      }
    }
  }

  static String lane(TopicPartition tp) {
    return lane(tp.topic(), tp.partition());
  }

  /** The sink's lane of a partition: {@code topic-partition}. */
  static String lane(String topic, int partition) {
    return topic + "-" + partition;
  }

  /** Tells the sink, once, what the offsets it resumes from had already made durable. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (Map.Entry<String, Signal> topic : signalsByTopic.entrySet()) {
        List<String> lanes =
            partitions.stream()
                .filter(tp -> tp.topic().equals(topic.getKey()))
                .map(KafkaTelemetrySource::lane)
                .toList();
        if (!lanes.isEmpty()) {
          Signal signal = topic.getValue();
          stage.control(sink -> sink.lanesAssigned(signal, lanes));
        }
      }
      if (resumeChecked || partitions.isEmpty()) {
        return;
      }
      resumeChecked = true;
      long from = Long.MAX_VALUE;
      for (OffsetAndMetadata committed : consumer.committed(new HashSet<>(partitions)).values()) {
        if (committed != null && committed.metadata().startsWith(DURABLE_PREFIX)) {
          from =
              Math.min(
                  from, Long.parseLong(committed.metadata().substring(DURABLE_PREFIX.length())));
        }
      }
      if (from != Long.MAX_VALUE) {
        Instant at = EpochNanos.toInstant(from);
        LOG.info("resuming: effects before {} were already made durable", at);
        stage.control(sink -> sink.resumeFrom(at));
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      stage.drain(); // what was decoded is finished before the partitions go
      // After a failure part-way through a poll (closing), records polled but never handed to the
      // sink are known nowhere but in the consumer's position: commit nothing then.
      if (batchComplete) {
        settle();
        commit(Duration.ofSeconds(30));
      }
      partitions.forEach(uncommitted::remove);
      partitions.forEach(idleLanes::remove);
    }
  }

  private void closeClients() {
    stage.drain();
    if (batchComplete) {
      settle();
      commitOnClose();
    }
    stage.close();
    try {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (KafkaException e) {
      LOG.warn("closing the consumer failed", e);
    }
    try {
      dlqProducer.close(CLOSE_TIMEOUT);
    } catch (KafkaException e) {
      LOG.warn("closing the dead-letter producer failed", e);
    }
  }

  private void commitOnClose() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        commit(CLOSE_TIMEOUT);
        return;
      } catch (WakeupException e) {
        // the wakeup close() sent is consumed by this exception; the second attempt runs normally
      } catch (KafkaException e) {
        LOG.warn("final offset commit failed: {}", e.toString());
        return;
      }
    }
  }

  private void backOff() {
    try {
      Thread.sleep(ERROR_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
