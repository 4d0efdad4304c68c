package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;

/**
 * Receives the records decoded from one ingested message. Called on the ingest thread, one message
 * at a time; an implementation that needs to hand work to other threads must do so itself. A sink
 * that throws does not stop the stream: the message goes to the dead-letter topic with reason
 * {@code sink_error}.
 */
@FunctionalInterface
public interface TelemetrySink {

  /**
   * Accepts the records of one message.
   *
   * @param signal the signal of the topic the message came from
   * @param batch the decoded records (may hold no items, for example an export with no spans)
   */
  void accept(Signal signal, TelemetryBatch batch);

  /**
   * Accepts the records of one message that came through a lane of the input: a Kafka partition
   * ({@code topic-partition}), a file. Records of one lane arrive in their own order; sinks that
   * track event time per lane (see {@code SpanFeatureAggregator}) override this. By default the
   * lane is ignored.
   */
  default void accept(Signal signal, TelemetryBatch batch, String lane) {
    accept(signal, batch);
  }

  /**
   * Returns a sink that calls {@code sink} one message at a time, whichever thread calls it: for
   * one sink fed by several sources (a Kafka source and the OTLP/HTTP receiver, say). Wrapping a
   * sink that is already serialized returns it unchanged.
   */
  static TelemetrySink serialized(TelemetrySink sink) {
    return sink instanceof SerializedSink ? sink : new SerializedSink(sink);
  }
}
