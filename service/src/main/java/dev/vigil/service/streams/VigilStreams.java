package dev.vigil.service.streams;

import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.http.Readiness;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.service.pipeline.VigilPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams application of one Vigil instance: creates the topics it writes (outputs, dead
 * letters, its internal topics) when missing, runs the topology exactly once ({@code
 * exactly_once_v2}), says whether it is ready (running, its state restored, caught up), purges its
 * internal topics up to the committed offsets as Kafka Streams does for its own repartition topics,
 * and closes gracefully (committing what it processed).
 */
public final class VigilStreams implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilStreams.class);

  /** Records of lag on an input partition an instance may have and still be ready. */
  public static final long READY_LAG = 10_000;

  /** Kafka Streams' commit interval unless {@code kafka.properties.commit.interval.ms} is set. */
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 1_000;

  /**
   * The producers' {@code batch.size} unless {@code kafka.properties.batch.size} is set: the span
   * router's records are a Collector batch's share of one trace partition, tens of kilobytes, above
   * Kafka's default of 16 KiB, so each went as a batch and a produce request of its own, and the
   * broker's produce handling cost more per span than the stream threads' work (BENCHMARKS.md).
   */
  public static final int DEFAULT_PRODUCER_BATCH_BYTES = 512 * 1024;

  private static final Duration PURGE_INTERVAL = Duration.ofSeconds(30);

  /** How long processed internal-topic records are kept before the purge deletes them. */
  private static final Duration PURGE_KEEP = Duration.ofMinutes(5);

  private final VigilConfig config;
  private final MeterRegistry registry;
  private final List<PipelineListener> listeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<VigilPipeline>> engineSetup =
      new CopyOnWriteArrayList<>();
  private final EngineHandle handle = new EngineHandle();
  private final dev.vigil.service.alerting.SilenceRegistry silences =
      new dev.vigil.service.alerting.SilenceRegistry(dev.vigil.rca.TimeOrderedIds.secure());
  private final LagProbe lag = new LagProbe();
  private final PurgeFloors floors = new PurgeFloors();
  private final StreamsMeters meters;
  private final AtomicInteger restoring = new AtomicInteger();
  private final AtomicInteger replays = new AtomicInteger();
  private final Timer restoreTime;
  private final String stateDir;
  private KafkaStreams streams;
  private StreamsLayout layout;
  private Admin admin;
  private ScheduledExecutorService purger;
  private KafkaStreamsMetrics streamsMetrics;
  private volatile Throwable failure;
  private Duration purgeInterval = PURGE_INTERVAL;
  private Duration purgeKeep = PURGE_KEEP;

  /**
   * @param stateDir the state directory, or null for the configuration's {@code kafka.state-dir}
   *     (two instances in one process need two)
   */
  public VigilStreams(VigilConfig config, MeterRegistry registry, String stateDir) {
    this.config = config;
    this.registry = registry;
    this.meters = new StreamsMeters(registry);
    this.restoreTime = registry.timer("vigil.state.restore");
    this.stateDir = stateDir != null ? stateDir : config.string("kafka.state-dir");
  }

  /** How often internal topics are purged (tests that read them back purge rarely). */
  VigilStreams purgeEvery(Duration interval) {
    this.purgeInterval = interval;
    return this;
  }

  /** How often internal topics are purged, keeping the records of the last {@code keep}. */
  VigilStreams purgeEvery(Duration interval, Duration keep) {
    this.purgeInterval = interval;
    this.purgeKeep = keep;
    return this;
  }

  /** A listener of the window engine's outputs on this instance (stdout, the API's views). */
  public VigilStreams addListener(PipelineListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Run on each window engine this instance starts, before it processes anything. */
  public VigilStreams onEngine(java.util.function.Consumer<VigilPipeline> setup) {
    engineSetup.add(setup);
    return this;
  }

  /** The silences of this instance, shared by every window engine that runs here. */
  public dev.vigil.service.alerting.SilenceRegistry silences() {
    return silences;
  }

  public EngineHandle engine() {
    return handle;
  }

  public StreamsMeters meters() {
    return meters;
  }

  public StreamsLayout layout() {
    return layout;
  }

  public void start() {
    String bootstrap = config.string("kafka.bootstrap-servers");
    admin = Admin.create(adminProperties(bootstrap));
    int spansPartitions = inputPartitions();
    layout = StreamsLayout.of(config, spansPartitions);
    ensureTopics();
    var topology =
        VigilTopology.build(
            layout,
            registry,
            meters,
            () -> {
              VigilPipeline p =
                  VigilPipeline.windowEngine(
                      config.features(),
                      config.monitor(),
                      dev.vigil.service.alerting.AlertLifecycle.builder()
                          .renotifyInterval(config.duration("alerts.renotify-interval"))
                          .silences(silences)
                          .build(),
                      registry);
              listeners.forEach(p::addListener);
              engineSetup.forEach(setup -> setup.accept(p));
              return p;
            },
            handle,
            lag,
            () -> replayConsumer(bootstrap),
            floors);
    streams = new KafkaStreams(topology, streamsProperties(bootstrap));
    lag.attach(streams);
    streams.setGlobalStateRestoreListener(new RestoreListener());
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("a stream thread failed; replacing it", e);
          failure = e;
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener((now, before) -> LOG.info("kafka streams: {} -> {}", before, now));
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    streams.start();
    purger =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-purge");
              t.setDaemon(true);
              return t;
            });
    purger.scheduleWithFixedDelay(
        this::purge, purgeInterval.toMillis(), purgeInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Properties adminProperties(String bootstrap) {
    Properties p = new Properties();
    p.putAll(config.kafkaProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  private Properties streamsProperties(String bootstrap) {
    Properties p = new Properties();
    // Kafka Streams commits every 100 ms under exactly-once, and every commit waits for the
    // producer to flush and the transaction to end: with the repartition and changelog topics that
    // took half of the stream threads' time (BENCHMARKS.md). Windows are seconds long, so a commit
    // a second costs no detection time; kafka.properties.commit.interval.ms still overrides it.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
    p.put(
        org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG,
        DEFAULT_PRODUCER_BATCH_BYTES);
    p.putAll(config.kafkaProperties());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.string("kafka.application-id"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.intValue("kafka.stream-threads"));
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.intValue("kafka.standby-replicas"));
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.intValue("kafka.replication-factor"));
    p.put(
        StreamsConfig.producerPrefix(
            org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        VigilTopology.MAX_STATE_BYTES + 1024 * 1024);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    return p;
  }

  /**
   * A consumer for a trace partition's restore, configured as Kafka Streams' own restore consumer
   * (the same security settings, {@code restore.consumer.*} overrides), reading committed records
   * only, without a group.
   */
  private Consumer<byte[], byte[]> replayConsumer(String bootstrap) {
    Map<String, Object> p =
        new StreamsConfig(streamsProperties(bootstrap))
            .getRestoreConsumerConfigs(
                config.string("kafka.application-id")
                    + "-trace-replay-"
                    + replays.incrementAndGet());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private int inputPartitions() {
    String spans = config.string("kafka.topics.spans");
    try {
      Map<String, TopicDescription> d =
          admin.describeTopics(List.of(spans)).allTopicNames().get(60, TimeUnit.SECONDS);
      return d.get(spans).partitions().size();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new ConfigException(
            "the spans topic '"
                + spans
                + "' does not exist on "
                + config.string("kafka.bootstrap-servers")
                + ": create it (as many partitions as Vigil instances you plan), point"
                + " kafka.topics.spans at the Collector's topic, or start the Collector first");
      }
      throw new IllegalStateException("cannot describe topic " + spans + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ConfigException(
          "no answer from Kafka at "
              + config.string("kafka.bootstrap-servers")
              + " within 60 s: check kafka.bootstrap-servers and the kafka.properties.* security"
              + " settings");
    }
  }

  /** Creates the topics Vigil writes, when missing; leaves the inputs to their producers. */
  private void ensureTopics() {
    short rf = (short) config.intValue("kafka.replication-factor");
    Optional<Short> replication = rf <= 0 ? Optional.empty() : Optional.of(rf);
    Map<String, String> purged =
        Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
    List<NewTopic> topics = new ArrayList<>();
    if (!layout.partitionedByTraceId()) {
      topics.add(
          new NewTopic(
                  layout.internal(StreamsLayout.SPANS_BY_TRACE),
                  Optional.of(layout.tracePartitions()),
                  replication)
              .configs(purged));
    }
    topics.add(
        new NewTopic(layout.internal(StreamsLayout.WINDOW_PARTIALS), Optional.of(1), replication)
            .configs(purged));
    topics.add(
        new NewTopic(layout.internal(StreamsLayout.SIGNALS), Optional.of(1), replication)
            .configs(purged));
    for (String out :
        List.of(
            layout.deadLetters(),
            layout.anomalies(),
            layout.alerts(),
            layout.incidents(),
            layout.metrics(),
            layout.logs())) {
      topics.add(new NewTopic(out, Optional.of(layout.tracePartitions()), replication));
    }
    for (NewTopic topic : topics) {
      try {
        admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        LOG.info("created topic {}", topic.name());
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + topic.name() + ": " + e.getCause(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("creating topic " + topic.name() + " timed out", e);
      }
    }
  }

  /**
   * Deletes internal-topic records below the committed offsets (they were processed) that are also
   * older than {@link #PURGE_KEEP}. The recent ones stay: a partition whose records are all deleted
   * loses the broker's state of the producers writing it, and their next transactional write is
   * then refused as out of sequence (KAFKA-7298) until the producer resets. A repartition topic
   * partition is purged only by the instance its trace partition runs on, and never below the
   * lowest offset its committed store still names (a restore re-reads those records, {@link
   * PurgeFloors}).
   */
  private void purge() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(config.string("kafka.application-id"))
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> keep = new HashMap<>();
      long keepFrom = System.currentTimeMillis() - purgeKeep.toMillis();
      String repartition = layout.internal(StreamsLayout.SPANS_BY_TRACE);
      Map<TopicPartition, Long> needed = new HashMap<>();
      committed.forEach(
          (tp, offset) -> {
            if (offset == null || !tp.topic().startsWith(layout.internal(""))) {
              return;
            }
            if (tp.topic().equals(repartition) && !layout.partitionedByTraceId()) {
              OptionalLong floor = floors.floor(tp, offset.offset());
              if (floor.isEmpty()) {
                return; // its trace partition runs elsewhere: that instance purges it
              }
              needed.put(tp, floor.getAsLong());
            }
            keep.put(tp, OffsetSpec.forTimestamp(keepFrom));
          });
      if (keep.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> committedOffsets = new HashMap<>();
      Map<TopicPartition, Long> recentOffsets = new HashMap<>();
      admin
          .listOffsets(keep)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> recentOffsets.put(tp, info.offset()));
      keep.keySet().forEach(tp -> committedOffsets.put(tp, committed.get(tp).offset()));
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      purgeBelow(committedOffsets, recentOffsets, needed)
          .forEach((tp, below) -> delete.put(tp, RecordsToDelete.beforeOffset(below)));
      if (!delete.isEmpty()) {
        admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.debug("purging internal topics failed; retrying later", e);
    }
  }

  /**
   * Where the purge may delete up to, per partition: below the committed offset (processed) and
   * below the first record of the kept period; no entry where nothing may go.
   *
   * @param committed the application's committed offset per internal partition
   * @param firstRecent the offset of each partition's first record written since the kept period
   *     began, or -1 when none was (then everything processed may go)
   * @param needed the lowest offset a committed store still needs, per partition that has one
   *     ({@link PurgeFloors#NONE} when its store is empty)
   */
  static Map<TopicPartition, Long> purgeBelow(
      Map<TopicPartition, Long> committed,
      Map<TopicPartition, Long> firstRecent,
      Map<TopicPartition, Long> needed) {
    Map<TopicPartition, Long> below = new HashMap<>();
    committed.forEach(
        (tp, offset) -> {
          long b = offset;
          Long first = firstRecent.get(tp);
          if (first != null && first >= 0) {
            b = Math.min(b, first);
          }
          Long floor = needed.get(tp);
          if (floor != null) {
            b = Math.min(b, floor);
          }
          if (b > 0) {
            below.put(tp, b);
          }
        });
    return below;
  }

  /** Running, nothing restoring, every input partition within {@link #READY_LAG} records. */
  public Readiness.Status readiness() {
    KafkaStreams s = streams;
    if (s == null) {
      return Readiness.Status.notReady("not started");
    }
    KafkaStreams.State state = s.state();
    if (state != KafkaStreams.State.RUNNING) {
      return Readiness.Status.notReady("kafka streams is " + state);
    }
    if (restoring.get() > 0) {
      return Readiness.Status.notReady(restoring.get() + " state stores restoring");
    }
    double lag = maxLag(s);
    if (lag > READY_LAG) {
      return Readiness.Status.notReady("consumer lag " + (long) lag + " records");
    }
    return Readiness.Status.READY;
  }

  private static double maxLag(KafkaStreams s) {
    double max = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : s.metrics().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("records-lag") && name.tags().containsKey("partition")) {
        Object v = e.getValue().metricValue();
        if (v instanceof Double d && !d.isNaN()) {
          max = Math.max(max, d);
        }
      }
    }
    return max;
  }

  /** Waits until running, or the deadline; true when running. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (streams != null && streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** The last stream-thread failure, if any (the thread was replaced). */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.CREATED : streams.state();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** Stops processing, commits what was processed, and leaves the group. */
  public void close(Duration timeout) {
    if (purger != null) {
      purger.shutdownNow();
    }
    if (streams != null) {
      streams.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(timeout));
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }

  /** Ends the process without a clean shutdown, as a crash would (for fail-over tests). */
  void kill() {
    if (purger != null) {
      purger.shutdownNow();
    }
    streams.close(Duration.ZERO);
  }

  private final class RestoreListener implements StateRestoreListener {
    private final Map<TopicPartition, Long> started =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void onRestoreStart(
        TopicPartition partition, String store, long startOffset, long endOffset) {
      restoring.incrementAndGet();
      started.put(partition, System.nanoTime());
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      restoring.decrementAndGet();
      Long t0 = started.remove(partition);
      if (t0 != null) {
        restoreTime.record(Duration.ofNanos(System.nanoTime() - t0));
      }
      LOG.info("restored {} records of store {} from {}", totalRestored, store, partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
      restoring.decrementAndGet();
      started.remove(partition);
    }
  }
}
