package dev.vigil.service.streams;

import dev.vigil.ingest.OtlpRecordDecoder;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.telemetry.Signal;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** Builds the service's Kafka Streams topology (see the package documentation). */
public final class VigilTopology {
  /** Largest state record (changelog topic and producer limit). */
  static final int MAX_STATE_BYTES = 64 * 1024 * 1024;

  private VigilTopology() {}

  /**
   * @param pipelines makes the window engine's pipeline each time the engine task starts on this
   *     instance (with its listeners)
   * @param replayConsumers consumers (read_committed, no group) a trace partition re-reads its
   *     input with when it restores
   * @param floors where the trace partitions say which input offsets their stores still need
   */
  static Topology build(
      StreamsLayout layout,
      MeterRegistry registry,
      StreamsMeters meters,
      Supplier<VigilPipeline> pipelines,
      EngineHandle handle,
      LagProbe lag,
      Supplier<Consumer<byte[], byte[]>> replayConsumers,
      PurgeFloors floors) {
    IngestMetrics ingest = new IngestMetrics(registry, IngestMetrics.SOURCE_KAFKA);
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    ByteArraySerializer out = new ByteArraySerializer();
    Topology t = new Topology();
    int n = layout.tracePartitions();

    String traceParent;
    if (layout.partitionedByTraceId()) {
      t.addSource("trace-source", in, in, layout.spans());
      traceParent = "trace-source";
    } else {
      t.addSource("spans-source", in, in, layout.spans());
      t.addProcessor(
          "span-router",
          () ->
              new SpanRouter(
                  decoder(layout, ingest, Map.of(layout.spans(), Signal.TRACES)),
                  layout.spans(),
                  layout.encoding(),
                  n,
                  lag),
          "spans-source");
      t.addSink(
          SpanRouter.REPARTITION_SINK,
          layout.internal(StreamsLayout.SPANS_BY_TRACE),
          out,
          out,
          SpanRouter.PARTITIONER,
          "span-router");
      t.addSink(SpanRouter.DLQ_SINK, layout.deadLetters(), out, out, "span-router");
      t.addSource("trace-source", in, in, layout.internal(StreamsLayout.SPANS_BY_TRACE));
      traceParent = "trace-source";
    }
    t.addProcessor(
        "trace-windows",
        () ->
            new TraceWindowProcessor(
                layout.features(),
                // Records split on the wire are decoded here with their source's coordinates.
                decoder(
                    layout,
                    ingest,
                    layout.partitionedByTraceId()
                        ? Map.of(layout.spans(), Signal.TRACES)
                        : Map.of(
                            layout.traceTopic(), Signal.TRACES, layout.spans(), Signal.TRACES)),
                layout.encoding(),
                n,
                layout.partitionedByTraceId() ? 0 : layout.spansPartitions(),
                meters,
                lag,
                layout.traceTopic(),
                layout.spans(),
                replayConsumers,
                floors,
                registry),
        traceParent);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StreamsLayout.TRACE_RECORDS_STORE),
                Serdes.Long(),
                Serdes.ByteArray())
            .withCachingEnabled(),
        "trace-windows");
    t.addSink(
        TraceWindowProcessor.PARTIALS_SINK,
        layout.internal(StreamsLayout.WINDOW_PARTIALS),
        out,
        out,
        "trace-windows");
    t.addSink(TraceWindowProcessor.DLQ_SINK, layout.deadLetters(), out, out, "trace-windows");

    t.addSource("signals-source", in, in, layout.metrics(), layout.logs());
    t.addProcessor(
        "signal-router",
        () ->
            new SignalRouter(
                decoder(
                    layout,
                    ingest,
                    Map.of(layout.metrics(), Signal.METRICS, layout.logs(), Signal.LOGS))),
        "signals-source");
    t.addSink(
        SignalRouter.SIGNALS_SINK,
        layout.internal(StreamsLayout.SIGNALS),
        out,
        out,
        "signal-router");
    t.addSink(SignalRouter.DLQ_SINK, layout.deadLetters(), out, out, "signal-router");

    t.addSource(
        "engine-source",
        in,
        in,
        layout.internal(StreamsLayout.WINDOW_PARTIALS),
        layout.internal(StreamsLayout.SIGNALS));
    t.addProcessor(
        "engine",
        () ->
            new EngineProcessor(layout.features(), n, layout.encoding(), pipelines, handle, meters),
        "engine-source");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StreamsLayout.ENGINE_RECORDS_STORE),
            Serdes.Long(),
            Serdes.ByteArray()),
        "engine");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StreamsLayout.ENGINE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            // A signal monitor's snapshot grows past a megabyte over a day of seasonal history.
            .withLoggingEnabled(Map.of("max.message.bytes", Integer.toString(MAX_STATE_BYTES))),
        "engine");
    t.addSink(EngineProcessor.ANOMALIES_SINK, layout.anomalies(), out, out, "engine");
    t.addSink(EngineProcessor.ALERTS_SINK, layout.alerts(), out, out, "engine");
    t.addSink(EngineProcessor.INCIDENTS_SINK, layout.incidents(), out, out, "engine");
    return t;
  }

  private static OtlpRecordDecoder decoder(
      StreamsLayout layout, IngestMetrics ingest, Map<String, Signal> topics) {
    return new OtlpRecordDecoder(topics, layout.encoding(), ingest, layout.deadLetters());
  }
}
