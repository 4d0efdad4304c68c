package dev.vigil.benchmarks;

import dev.vigil.features.FeatureConfig;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.ingest.KafkaTelemetrySource;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.streams.VigilStreams;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpDecoder.TraceProtobufDecoding;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import dev.vigil.telemetry.otlp.Timestamps;
import dev.vigil.testing.KafkaTestCluster;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Ingest throughput end to end, against Kafka's own consumer on the same topic in the same run.
 *
 * <p>Starts a single-node KRaft broker in-process, fills {@code otlp_spans} (one partition) with at
 * least {@code --spans} spans from the {@link dev.vigil.trainingdata.sim.MicroserviceSimulator}
 * (OTLP protobuf exports made by the OpenTelemetry SDK's marshaler, as the Collector's kafka
 * exporter writes them), then, after {@code --warmup} untimed rounds, {@code --rounds} times reads
 * the whole topic four ways, each with a fresh consumer group:
 *
 * <ol>
 *   <li><b>raw</b>: a {@code KafkaConsumer<byte[], byte[]>} that only counts records and bytes;
 *   <li><b>decode</b>: the same consumer decoding every record with the streaming decoder;
 *   <li><b>decode-parseFrom</b>: the same with {@code parseFrom} and a walk of the tree;
 *   <li><b>pipeline</b>: Vigil's {@link KafkaTelemetrySource} (decode, validation, offset commits
 *       at most once a second) handing every batch to a {@link SpanFeatureAggregator} (trace
 *       assembly and windowed features), as configured by default: the sink on its own thread
 *       behind a bounded queue, so that decoding and aggregation overlap;
 *   <li><b>pipeline, one thread</b>: the same with {@code pipelinedSink(false)}, decoding and
 *       aggregating on the ingest thread;
 *   <li><b>streams</b>: the service itself, {@link VigilStreams} (the Kafka Streams topology that
 *       {@code vigil run} starts, exactly-once), with a fresh application id: decode and re-key by
 *       trace id, the repartition topic, trace assembly and window partials per trace partition
 *       with their changelogged RocksDB stores, and the window engine with the detectors and the
 *       incident engine live. Timed from the first span assembled on a trace partition to the last;
 *       {@code --stream-threads} threads (default 2, as the pipeline's two) and as many trace
 *       partitions.
 * </ol>
 *
 * Each is timed from its first record to its last, so group joins are not counted. Prints spans/s,
 * MB/s and the ratio to raw per round, then the median round; compare ratios within one run (the
 * machine is shared). The CPU rate of a pipeline counts both the ingest and the sink thread. All
 * consumers use the Kafka client defaults, as the source does, except {@code --fetch-bytes} ({@code
 * max.partition.fetch.bytes}, default 1 MiB), set for all alike: larger fetches mean fewer, larger
 * polls.
 *
 * <p>{@code --no-decoders} leaves out the two decode-only readings (for profiling the pipelines);
 * {@code --no-streams} leaves out the Kafka Streams service; {@code --rate R} simulates R entry
 * requests per simulated second (default 2,000, as in the earlier measurements; 200 spreads a
 * million spans over about 40 windows, so that windows close and the detectors run); {@code
 * --streams-set key=value} sets a configuration key of the service.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat /tmp/benchcp.txt) dev.vigil.benchmarks.IngestThroughput \
 *     --spans 1000000 --rounds 3
 * </pre>
 */
public final class IngestThroughput {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU time of the whole process, broker threads included, in nanoseconds. */
  private static long processCpu() {
    return OS.getProcessCpuTime();
  }

  private static final TraceProtobufDecoding STREAMING = TraceProtobufDecoding.STREAMING;
  private static final TraceProtobufDecoding PARSE_FROM = TraceProtobufDecoding.PARSE_FROM;
  private static final String TOPIC = KafkaTopics.OTLP_SPANS;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** {@code max.partition.fetch.bytes} of every consumer; the Kafka default unless given. */
  private static int fetchBytes = ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES;

  /** Records queued between the ingest and the sink thread; the source's default unless given. */
  private static int sinkQueue = -1;

  private static int streamThreads = 2;
  private static final Map<String, String> streamsSettings = new java.util.LinkedHashMap<>();

  private IngestThroughput() {}

  /**
   * One timed read of the whole topic.
   *
   * @param nanos wall-clock time from the first record to the last
   * @param cpuNanos CPU time of the consuming thread over the same stretch
   */
  record Reading(
      long records, long spans, long bytes, long nanos, long cpuNanos, long processCpuNanos) {

    /** CPU of the whole process (broker, GC and JIT included) per span, in microseconds. */
    double processMicrosPerSpan() {
      return processCpuNanos / 1e3 / spans;
    }

    /** Cores the whole process kept busy, on average. */
    double coresBusy() {
      return (double) processCpuNanos / nanos;
    }

    double spansPerSecond() {
      return spans * 1e9 / nanos;
    }

    double spansPerCpuSecond() {
      return spans * 1e9 / cpuNanos;
    }

    double megabytesPerSecond() {
      return bytes * 1e9 / nanos / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    // The broker and clients log every configuration at INFO.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    long spans = 1_000_000;
    int rounds = 3;
    int warmup = 1;
    boolean decoders = true;
    boolean streams = true;
    double rate = SimulatedTraffic.RATE;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--spans" -> spans = Long.parseLong(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--fetch-bytes" -> fetchBytes = Integer.parseInt(args[++i]);
        case "--no-decoders" -> decoders = false;
        case "--sink-queue" -> sinkQueue = Integer.parseInt(args[++i]);
        case "--stream-threads" -> streamThreads = Integer.parseInt(args[++i]);
        case "--no-streams" -> streams = false;
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--streams-set" -> {
          String[] kv = args[++i].split("=", 2);
          streamsSettings.put(kv[0], kv[1]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().noInitialRebalanceDelay().start()) {
      String bootstrap = cluster.bootstrapServers();
      KafkaTopics.ensure(bootstrap, List.of(TOPIC, KafkaTopics.DLQ), 1, (short) 1);
      long t0 = System.nanoTime();
      KafkaSpanExporter filled = SimulatedTraffic.toKafka(bootstrap, TOPIC, spans, 42, rate);
      System.out.printf(
          Locale.ROOT,
          "topic %s: %,d records, %,d spans at %.0f requests per simulated second (simulated and"
              + " produced in %.1f s); max.partition.fetch.bytes %,d%n",
          TOPIC,
          filled.records(),
          filled.spans(),
          rate,
          (System.nanoTime() - t0) / 1e9,
          fetchBytes);
      if (filled.failedSpans() > 0) {
        throw new IllegalStateException(filled.failedSpans() + " spans were not produced");
      }
      List<String> modes = new ArrayList<>(List.of("raw consumer"));
      if (decoders) {
        modes.addAll(List.of("decode (streaming)", "decode (parseFrom)"));
      }
      modes.addAll(List.of("pipeline", "pipeline, one thread"));
      if (streams) {
        modes.add("streams (" + streamThreads + " threads)");
      }
      String[] names = modes.toArray(String[]::new);
      List<Reading[]> results = new ArrayList<>();
      for (int r = 1 - warmup; r <= rounds; r++) {
        String round = r <= 0 ? "warm-up" : "round " + r;
        List<Reading> readings = new ArrayList<>();
        Reading raw = raw(bootstrap, "raw" + r, filled.records(), filled.spans(), null);
        readings.add(raw);
        if (decoders) {
          readings.add(raw(bootstrap, "decode" + r, filled.records(), filled.spans(), STREAMING));
          readings.add(raw(bootstrap, "parse" + r, filled.records(), filled.spans(), PARSE_FROM));
        }
        readings.add(pipeline(bootstrap, "pipeline" + r, filled.spans(), raw.bytes(), true));
        readings.add(pipeline(bootstrap, "onethread" + r, filled.spans(), raw.bytes(), false));
        if (streams) {
          readings.add(streams(bootstrap, "streams" + r, filled.spans(), raw.bytes()));
        }
        for (int m = 0; m < names.length; m++) {
          print(round, names[m], readings.get(m), raw.spansPerSecond());
        }
        if (r > 0) {
          results.add(readings.toArray(Reading[]::new));
        }
      }
      summarize(names, results);
    }
  }

  /** Per mode over the rounds: median and best wall-clock rate, median CPU rate; ratios to raw. */
  private static void summarize(String[] names, List<Reading[]> results) {
    double[][] stats = new double[names.length][];
    for (int m = 0; m < names.length; m++) {
      int mode = m;
      double[] wall =
          results.stream().mapToDouble(r -> r[mode].spansPerSecond()).sorted().toArray();
      double[] cpu =
          results.stream().mapToDouble(r -> r[mode].spansPerCpuSecond()).sorted().toArray();
      double[] process =
          results.stream().mapToDouble(r -> r[mode].processMicrosPerSpan()).sorted().toArray();
      stats[m] =
          new double[] {
            wall[wall.length / 2],
            wall[wall.length - 1],
            cpu[cpu.length / 2],
            process[process.length / 2]
          };
    }
    System.out.printf(
        Locale.ROOT,
        "%nover %d rounds        median spans/s  (x raw)   best spans/s  (x raw)"
            + "   median spans/CPU-s  (x raw)   process µs/span%n",
        results.size());
    for (int m = 0; m < names.length; m++) {
      System.out.printf(
          Locale.ROOT,
          "%-20s %,14.0f  (%.2f)  %,13.0f  (%.2f)  %,19.0f  (%.2f)  %15.3f%n",
          names[m],
          stats[m][0],
          stats[m][0] / stats[0][0],
          stats[m][1],
          stats[m][1] / stats[0][1],
          stats[m][2],
          stats[m][2] / stats[0][2],
          stats[m][3]);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT,
        "at 0.5x of the median raw rate, %d cores allow %.3f µs of process CPU per span%n",
        cores,
        cores * 1e6 / (0.5 * stats[0][0]));
  }

  private static void print(String round, String what, Reading r, double raw) {
    System.out.printf(
        Locale.ROOT,
        "%-8s %-30s %,d records, %,d spans, %.1f MB in %.2f s = %,.0f spans/s, %.1f MB/s,"
            + " x%.2f of raw; %,.0f spans per CPU-second of the consuming thread(s); process CPU"
            + " %.3f µs per span, %.2f cores busy%n",
        round,
        what,
        r.records(),
        r.spans(),
        r.bytes() / 1e6,
        r.nanos() / 1e9,
        r.spansPerSecond(),
        r.megabytesPerSecond(),
        r.spansPerSecond() / raw,
        r.spansPerCpuSecond(),
        r.processMicrosPerSpan(),
        r.coresBusy());
  }

  /**
   * Kafka's consumer alone, counting records and value bytes; with a decoder, also decoding every
   * record (and checking it is whole).
   */
  static Reading raw(
      String bootstrap, String group, long records, long spans, TraceProtobufDecoding decoder)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      long read = 0;
      long bytes = 0;
      long decoded = 0;
      long first = 0;
      long firstCpu = 0;
      long firstProcessCpu = 0;
      while (read < records) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("raw consumer read " + read + " of " + records);
        }
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
        if (first == 0 && !polled.isEmpty()) {
          first = System.nanoTime();
          firstCpu = THREADS.getCurrentThreadCpuTime();
          firstProcessCpu = processCpu();
        }
        for (ConsumerRecord<byte[], byte[]> record : polled) {
          read++;
          bytes += record.value().length;
          if (decoder != null) {
            // As the Kafka source decodes: keep the valid items (all of them here).
            decoded +=
                OtlpDecoder.decodePartial(
                        Signal.TRACES,
                        record.value(),
                        OtlpEncoding.OTLP_PROTO,
                        Timestamps.MAX_EPOCH_NANOS,
                        decoder)
                    .batch()
                    .size();
          }
        }
      }
      long nanos = System.nanoTime() - first;
      long cpu = THREADS.getCurrentThreadCpuTime() - firstCpu;
      long processCpu = processCpu() - firstProcessCpu;
      if (decoder != null && decoded != spans) {
        throw new IllegalStateException("decoded " + decoded + " spans of " + spans);
      }
      return new Reading(read, spans, bytes, nanos, cpu, processCpu);
    }
  }

  /** Vigil's Kafka source, decoding into the span feature aggregator. */
  static Reading pipeline(
      String bootstrap, String group, long spans, long bytes, boolean pipelinedSink)
      throws Exception {
    CountingAggregatorSink sink = new CountingAggregatorSink();
    try (KafkaTelemetrySource source =
        KafkaTelemetrySource.builder()
            .bootstrapServers(bootstrap)
            .groupId(group)
            .topic(Signal.TRACES, TOPIC)
            .disable(Signal.METRICS)
            .disable(Signal.LOGS)
            .consumerProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetchBytes)
            .pipelinedSink(pipelinedSink)
            .sinkQueueCapacity(
                sinkQueue > 0 ? sinkQueue : KafkaTelemetrySource.DEFAULT_SINK_QUEUE_CAPACITY)
            .build(sink)) {
      source.start();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (sink.spans.get() < spans) {
        if (System.nanoTime() > deadline || source.deadLetters() > 0) {
          throw new TimeoutException(
              "pipeline took "
                  + sink.spans.get()
                  + " of "
                  + spans
                  + " spans ("
                  + source.deadLetters()
                  + " dead letters)");
        }
        Thread.sleep(5);
      }
      long nanos = sink.last - sink.first;
      long ingestCpu = sink.lastIngestCpu - sink.firstIngestCpu;
      long sinkCpu = pipelinedSink ? sink.lastCpu - sink.firstCpu : 0;
      System.out.printf(
          Locale.ROOT,
          "  (%s: %.2f s of %.2f s in SpanFeatureAggregator.accept; CPU per span %.3f µs on the"
              + " ingest thread, %.3f µs on the sink thread; %d windows closed; %s)%n",
          pipelinedSink ? "pipeline" : "one thread",
          sink.featureNanos / 1e9,
          nanos / 1e9,
          ingestCpu / 1e3 / sink.spans.get(),
          sinkCpu / 1e3 / sink.spans.get(),
          sink.windows,
          sink.aggregator.stats());
      return new Reading(
          source.acceptedRecords(),
          sink.spans.get(),
          bytes,
          nanos,
          ingestCpu + sinkCpu,
          sink.lastProcessCpu - sink.firstProcessCpu);
    }
  }

  /**
   * The service's Kafka Streams topology over the topic, with a fresh application id: every span
   * through decode, re-key, trace assembly and window partials; windows through the engine.
   */
  static Reading streams(String bootstrap, String appId, long spans, long bytes) throws Exception {
    Path state = Files.createTempDirectory("vigil-bench-streams");
    ConfigLoader config =
        ConfigLoader.builder()
            .flag("kafka.bootstrap-servers", bootstrap)
            .flag("kafka.application-id", appId)
            .flag("kafka.topics.spans", TOPIC)
            .flag("kafka.replication-factor", "1")
            .flag("kafka.stream-threads", String.valueOf(streamThreads))
            .flag("kafka.partitions", String.valueOf(streamThreads))
            .flag("kafka.properties.max.partition.fetch.bytes", String.valueOf(fetchBytes));
    streamsSettings.forEach(config::flag);
    try (VigilStreams service =
        new VigilStreams(config.load(), new SimpleMeterRegistry(), state.toString())) {
      service.start();
      if (!service.awaitRunning(TIMEOUT)) {
        throw new TimeoutException("the streams service did not start: " + service.failure());
      }
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      long first = 0;
      long firstCpu = 0;
      long firstProcessCpu = 0;
      Map<String, Long> threadsBefore = Map.of();
      long gcBefore = 0;
      while (service.meters().spans() < spans) {
        if (System.nanoTime() > deadline || service.failure().isPresent()) {
          throw new TimeoutException(
              "streams took "
                  + service.meters().spans()
                  + " of "
                  + spans
                  + " spans; "
                  + service.failure().map(Throwable::toString).orElse("no failure"));
        }
        if (first == 0 && service.meters().spans() > 0) {
          first = System.nanoTime();
          firstCpu = streamThreadsCpu(appId);
          firstProcessCpu = processCpu();
          threadsBefore = cpuByThreadGroup(appId);
          gcBefore = gcMillis();
        }
        Thread.sleep(2);
      }
      long nanos = System.nanoTime() - first;
      long cpu = streamThreadsCpu(appId) - firstCpu;
      long processCpu = processCpu() - firstProcessCpu;
      printCpuSplit(threadsBefore, cpuByThreadGroup(appId), gcMillis() - gcBefore, spans);
      System.out.printf(
          Locale.ROOT,
          "  (streams: %d windows closed by the engine, %d late spans, %d split-trace spans)%n",
          service.meters().windows(),
          service.meters().lateSpans(),
          service.meters().splitTraceSpans());
      return new Reading(-1, spans, bytes, nanos, cpu, processCpu);
    }
  }

  /** CPU time of every live thread, summed by name with digits and the application id masked. */
  private static Map<String, Long> cpuByThreadGroup(String appId) {
    Map<String, Long> groups = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long cpu = THREADS.getThreadCpuTime(t.getId());
      if (cpu > 0) {
        String name =
            t.getName()
                .replace(appId, "<app>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "")
                .replaceAll("\\d+", "N");
        groups.merge(name, cpu, Long::sum);
      }
    }
    return groups;
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /**
   * Where the process's CPU went while the stream ran: by thread group (threads that ended in
   * between are not counted), and the collectors' pause time.
   */
  private static void printCpuSplit(
      Map<String, Long> before, Map<String, Long> after, long gcMillis, long spans) {
    StringBuilder b = new StringBuilder("  (streams CPU per span by thread:");
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() * 1e-3 / spans >= 0.05)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e ->
                b.append(
                    String.format(
                        Locale.ROOT, " %s %.2f µs;", e.getKey(), e.getValue() * 1e-3 / spans)));
    b.append(String.format(Locale.ROOT, " GC pauses %d ms)", gcMillis));
    System.out.println(b);
  }

  /** CPU time of the application's stream threads. */
  private static long streamThreadsCpu(String appId) {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(appId) && t.getName().contains("-StreamThread-")) {
        total += Math.max(0, THREADS.getThreadCpuTime(t.getId()));
      }
    }
    return total;
  }

  /** Feeds the aggregator, as the service's pipeline does, and counts what went in. */
  private static final class CountingAggregatorSink implements TelemetrySink {
    private final SpanFeatureAggregator aggregator =
        new SpanFeatureAggregator(FeatureConfig.defaults());
    private final AtomicLong spans = new AtomicLong();
    private volatile long first;
    private volatile long last;
    private long windows;
    private volatile long featureNanos;
    private volatile long firstCpu;
    private volatile long lastCpu;
    private volatile long firstIngestCpu;
    private volatile long lastIngestCpu;
    private volatile long firstProcessCpu;
    private volatile long lastProcessCpu;
    private long ingestThreadId = -1;

    @Override
    public void accept(Signal signal, TelemetryBatch batch) {
      accept(signal, batch, "");
    }

    @Override
    public void accept(Signal signal, TelemetryBatch batch, String lane) {
      long now = System.nanoTime();
      if (first == 0) {
        first = now;
        firstCpu = THREADS.getCurrentThreadCpuTime();
        ingestThreadId = ingestThreadId();
        firstIngestCpu = THREADS.getThreadCpuTime(ingestThreadId);
        firstProcessCpu = processCpu();
      }
      windows += aggregator.accept(lane, batch.spans()).size();
      last = System.nanoTime();
      lastCpu = THREADS.getCurrentThreadCpuTime();
      lastIngestCpu = THREADS.getThreadCpuTime(ingestThreadId);
      lastProcessCpu = processCpu();
      featureNanos += last - now;
      spans.addAndGet(batch.spans().size());
    }
  }

  /** The source's ingest thread (this one, when the sink is not pipelined). */
  private static long ingestThreadId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(KafkaTelemetrySource.THREAD_NAME)) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no thread named " + KafkaTelemetrySource.THREAD_NAME);
  }
}
