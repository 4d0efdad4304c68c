package dev.vigil.service.streams;

import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.features.WindowPartial;
import dev.vigil.models.Anomaly;
import dev.vigil.rca.Incident;
import dev.vigil.service.Json;
import dev.vigil.service.alerting.Alert;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.telemetry.EpochNanos;
import dev.vigil.telemetry.LogEntry;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import dev.vigil.telemetry.otlp.Timestamps;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window engine: one task for the whole application (its inputs have one partition), so it sees
 * every service. It merges the window partials of all trace partitions, closes a window once every
 * partition has passed it or is idle, attaches the metric and log features of the window, and hands
 * it to the {@link VigilPipeline} window engine (detectors, incidents, alerts), whose anomalies,
 * alerts and incidents go to their topics in the same transaction.
 *
 * <p>State: the inputs a closed window has not yet consumed (partials of open windows, the latest
 * idle message of each partition, metric and log records whose windows are open) are kept in a
 * changelogged store and replayed after a restart or a move; the detectors', incidents' and alerts'
 * state is snapshotted into a second store as windows close ({@link EngineState}). A metrics-only
 * deployment (every trace partition idle and never a span window) closes windows by metric and log
 * time.
 */
final class EngineProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(EngineProcessor.class);
  static final String ANOMALIES_SINK = "anomalies-sink";
  static final String ALERTS_SINK = "alerts-sink";
  static final String INCIDENTS_SINK = "incidents-sink";
  private static final long SEQUENCE_KEY = -1L;
  private static final long NEXT_WINDOW_KEY = -2L;
  private static final byte PARTIAL = 1;
  private static final byte SIGNAL = 2;

  private final FeatureConfig config;
  private final int partitions;
  private final OtlpEncoding encoding;
  private final Supplier<VigilPipeline> pipelines;
  private final EngineHandle handle;
  private final StreamsMeters meters;
  private final long windowNanos;
  private final long closeDelayNanos;

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Long, byte[]> records;
  private EngineState state;
  private VigilPipeline pipeline;

  private final TreeMap<Long, WindowPartial> open = new TreeMap<>();

  /** Store keys of the partial messages of each open window. */
  private final Map<Long, List<Long>> openKeys = new HashMap<>();

  /** Store key of each partition's latest idle message. */
  private final Map<Integer, Long> idleKeys = new HashMap<>();

  /** Newest item time of each stored signal record, by store key. */
  private final TreeMap<Long, Long> signalKeys = new TreeMap<>();

  private final long[] lastStart;
  private final boolean[] idle;
  private long nextWindow = Long.MIN_VALUE;
  private long oldestSignal = Long.MAX_VALUE;
  private long newestSignal = Long.MIN_VALUE;
  private long sequence;
  private boolean replaying;
  private long outputTimestamp;

  EngineProcessor(
      FeatureConfig config,
      int partitions,
      OtlpEncoding encoding,
      Supplier<VigilPipeline> pipelines,
      EngineHandle handle,
      StreamsMeters meters) {
    this.config = config;
    this.partitions = partitions;
    this.encoding = encoding;
    this.pipelines = pipelines;
    this.handle = handle;
    this.meters = meters;
    this.windowNanos = config.window().toNanos();
    this.closeDelayNanos = config.maxTraceDuration().toNanos();
    this.lastStart = new long[partitions];
    this.idle = new boolean[partitions];
    Arrays.fill(lastStart, Long.MIN_VALUE);
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.records = context.getStateStore(StreamsLayout.ENGINE_RECORDS_STORE);
    KeyValueStore<String, byte[]> snapshots = context.getStateStore(StreamsLayout.ENGINE_STORE);
    this.pipeline = pipelines.get();
    this.state = new EngineState(snapshots, pipeline);
    this.pipeline.addListener(new Forwarder());
    long started = System.nanoTime();
    state.restore();
    restore();
    handle.attach(pipeline);
    LOG.info(
        "window engine: started in {} ms; next window {}, {} open windows, {} stored records",
        (System.nanoTime() - started) / 1_000_000,
        nextWindow == Long.MIN_VALUE ? "not yet known" : EpochNanos.toInstant(nextWindow),
        open.size(),
        sequence);
  }

  private void restore() {
    byte[] next = records.get(NEXT_WINDOW_KEY);
    if (next != null) {
      nextWindow = ByteBuffer.wrap(next).getLong();
      pipeline.resumeSignalsFrom(EpochNanos.toInstant(nextWindow));
    }
    byte[] seq = records.get(SEQUENCE_KEY);
    sequence = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
    replaying = true;
    try (KeyValueIterator<Long, byte[]> it = records.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        if (kv.key < 0) {
          continue;
        }
        ByteBuffer b = ByteBuffer.wrap(kv.value);
        byte type = b.get();
        byte[] rest = new byte[b.remaining()];
        b.get(rest);
        if (type == PARTIAL) {
          onPartial(kv.key, PartialMessage.fromBytes(rest));
        } else {
          Signal signal = Signal.values()[rest[0]];
          onSignal(kv.key, signal, Arrays.copyOfRange(rest, 1, rest.length));
        }
      }
    } finally {
      replaying = false;
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    outputTimestamp = record.timestamp();
    Signal signal = SignalRouter.signalOf(record);
    if (signal == null) {
      PartialMessage m;
      try {
        m = PartialMessage.fromBytes(record.value());
      } catch (RuntimeException e) {
        LOG.warn("window engine: skipping an unreadable window partial: {}", e.toString());
        return;
      }
      if (m.partitions() != partitions) {
        LOG.warn(
            "window engine: a partial from {} trace partitions, this instance expects {}; the"
                + " partition counts of the application differ between instances",
            m.partitions(),
            partitions);
      }
      onPartial(store(PARTIAL, record.value()), m);
    } else {
      byte[] value = record.value();
      byte[] payload = new byte[value.length + 1];
      payload[0] = (byte) signal.ordinal();
      System.arraycopy(value, 0, payload, 1, value.length);
      onSignal(store(SIGNAL, payload), signal, value);
    }
    closeReadyWindows();
  }

  private long store(byte type, byte[] payload) {
    long key = sequence++;
    records.put(key, ByteBuffer.allocate(1 + payload.length).put(type).put(payload).array());
    records.put(SEQUENCE_KEY, ByteBuffer.allocate(8).putLong(sequence).array());
    return key;
  }

  private void onPartial(long key, PartialMessage m) {
    int p = m.partition();
    if (p < 0 || p >= partitions) {
      records.delete(key);
      return;
    }
    if (m.idle()) {
      if (!idle[p] && !replaying) {
        LOG.info(
            "window engine: trace partition {} idle, its next window {}",
            p,
            m.windowStartNanos() == Long.MIN_VALUE
                ? "none"
                : EpochNanos.toInstant(m.windowStartNanos()));
      }
      idle[p] = true;
      Long previous = idleKeys.put(p, key);
      if (previous != null) {
        records.delete(previous);
      }
      return;
    }
    idle[p] = false;
    if (m.active()) {
      Long previous = idleKeys.remove(p);
      if (previous != null) {
        records.delete(previous);
      }
      records.delete(key);
      return;
    }
    long start = m.windowStartNanos();
    lastStart[p] = Math.max(lastStart[p], start);
    if (nextWindow != Long.MIN_VALUE && start < nextWindow) {
      WindowFeatures late = WindowPartial.fromBytes(m.partial()).close();
      LOG.info(
          "window engine: late partial from trace partition {} for window {} (next window {}),"
              + " {} services",
          p,
          EpochNanos.toInstant(start),
          EpochNanos.toInstant(nextWindow),
          late.services().size());
      meters.latePartial(
          late.services().values().stream().mapToLong(ServiceFeatures::requests).sum());
      records.delete(key);
      return;
    }
    WindowPartial partial = WindowPartial.fromBytes(m.partial());
    open.merge(start, partial, WindowPartial::merge);
    openKeys.computeIfAbsent(start, k -> new ArrayList<>()).add(key);
  }

  private void onSignal(long key, Signal signal, byte[] payload) {
    TelemetryBatch batch;
    try {
      batch =
          OtlpDecoder.decodePartial(
                  signal,
                  payload,
                  encoding == null ? OtlpEncoding.detect(payload) : encoding,
                  Timestamps.MAX_EPOCH_NANOS)
              .batch();
    } catch (OtlpDecodeException e) {
      // It decoded when routed; a record from another build may not.
      LOG.warn("window engine: a {} record no longer decodes: {}", signal, e.toString());
      records.delete(key);
      return;
    }
    long newest = Long.MIN_VALUE;
    for (MetricPoint point : batch.metrics()) {
      newest = Math.max(newest, point.timeEpochNanos());
      oldestSignal = Math.min(oldestSignal, point.timeEpochNanos());
    }
    for (LogEntry log : batch.logs()) {
      newest = Math.max(newest, log.timeEpochNanos());
      oldestSignal = Math.min(oldestSignal, log.timeEpochNanos());
    }
    newestSignal = Math.max(newestSignal, newest);
    signalKeys.put(key, newest);
    pipeline.acceptSignals(signal, batch);
  }

  /** Closes, in order, every window each trace partition has passed or is idle for. */
  private void closeReadyWindows() {
    while (true) {
      if (nextWindow == Long.MIN_VALUE) {
        if (!open.isEmpty()) {
          nextWindow = open.firstKey();
        } else if (metricsOnly() && oldestSignal != Long.MAX_VALUE) {
          nextWindow = Math.floorDiv(oldestSignal, windowNanos) * windowNanos;
        } else {
          return;
        }
      }
      if (!ready(nextWindow)) {
        return;
      }
      close(nextWindow);
    }
  }

  private boolean metricsOnly() {
    for (int p = 0; p < partitions; p++) {
      if (!idle[p] || lastStart[p] != Long.MIN_VALUE) {
        return false;
      }
    }
    return true;
  }

  private boolean ready(long window) {
    if (metricsOnly()) {
      return newestSignal != Long.MIN_VALUE
          && newestSignal >= window + windowNanos + closeDelayNanos;
    }
    boolean reached = false;
    for (int p = 0; p < partitions; p++) {
      if (lastStart[p] >= window) {
        reached = true;
      } else if (!idle[p]) {
        return false;
      }
    }
    return reached;
  }

  private void close(long window) {
    WindowPartial partial = open.remove(window);
    WindowFeatures features =
        (partial != null
                ? partial
                : WindowPartial.empty(EpochNanos.toInstant(window), config.window()))
            .close();
    List<Long> keys = openKeys.remove(window);
    if (keys != null) {
      keys.forEach(records::delete);
    }
    nextWindow = window + windowNanos;
    records.put(NEXT_WINDOW_KEY, ByteBuffer.allocate(8).putLong(nextWindow).array());
    pipeline.acceptWindow(features);
    meters.windowClosed();
    for (Iterator<Map.Entry<Long, Long>> it = signalKeys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Long> e = it.next();
      if (e.getValue() < nextWindow) {
        records.delete(e.getKey());
        it.remove();
      }
    }
    state.windowClosed();
  }

  @Override
  public void close() {
    handle.detach(pipeline);
  }

  /** Sends the pipeline's outputs to their topics, within the task's transaction. */
  private final class Forwarder implements PipelineListener {
    @Override
    public void onAnomaly(Anomaly a) {
      send(ANOMALIES_SINK, a.service(), a);
    }

    @Override
    public void onAlert(Alert a) {
      send(ALERTS_SINK, a.fingerprint(), a);
    }

    @Override
    public void onIncident(Incident i) {
      send(INCIDENTS_SINK, i.id(), i);
    }

    private void send(String sink, String key, Object value) {
      if (replaying) {
        return;
      }
      context.forward(
          new Record<>(
              key.getBytes(StandardCharsets.UTF_8),
              Json.write(value).getBytes(StandardCharsets.UTF_8),
              outputTimestamp),
          sink);
    }
  }
}
