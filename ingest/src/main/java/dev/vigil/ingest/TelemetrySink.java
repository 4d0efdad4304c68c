package dev.vigil.ingest;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Receives the records decoded from one ingested message. A source calls all of a sink's methods
 * from one thread, one message at a time: {@link KafkaTelemetrySource} from its sink thread (or its
 * ingest thread, when the sink is not pipelined), so a sink needs no locking for a single source;
 * an implementation that needs to hand work to other threads must do so itself. A sink that throws
 * does not stop the stream: the message goes to the dead-letter topic with reason {@code
 * sink_error}.
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
  /**
   * A batch decoded from an export whose bytes are at hand (OTLP/HTTP): {@code payload} is the
   * message as received (uncompressed) in {@code encoding}, items that failed validation included.
   * By default the batch is accepted through its lane; a sink that forwards the export elsewhere
   * (to the Kafka topics the service reads) sends the payload as it is.
   */
  default void acceptExport(
      Signal signal,
      TelemetryBatch batch,
      byte[] payload,
      dev.vigil.telemetry.otlp.OtlpEncoding encoding,
      String lane) {
    accept(signal, batch, lane);
  }

  default void accept(Signal signal, TelemetryBatch batch, String lane) {
    accept(signal, batch);
  }

  /**
   * For a sink that keeps state in memory (open windows, pending traces): the event time before
   * which everything it accepted has had its effects emitted and will not change. A source commits
   * a message's offset only once the message's newest item is before it, so after a crash the
   * messages whose effects were lost are read again. Empty (the default) for a sink that keeps no
   * state: its effects are final when {@link #accept} returns. A source may ask after every
   * message, so it should be cheap.
   */
  default Optional<Instant> durableUpTo() {
    return Optional.empty();
  }

  /**
   * The lanes (for Kafka, {@code topic-partition}) this sink will now get messages of a signal
   * from. A sink that tracks event time per lane waits for each of them, so that a lane read later
   * than the others does not find its windows closed.
   */
  default void lanesAssigned(Signal signal, Collection<String> lanes) {}

  /**
   * A lane has nothing more to read for now (for Kafka: the partition is caught up), so it should
   * not hold event time back until its next message.
   */
  default void laneIdle(Signal signal, String lane) {}

  /**
   * Called once, before the first message, when a source resumes from offsets committed with {@code
   * durableUpTo}: items before it were already counted and must not be counted again.
   */
  default void resumeFrom(Instant durableUpTo) {}

  /**
   * Returns a sink that calls {@code sink} one message at a time, whichever thread calls it: for
   * one sink fed by several sources (a Kafka source and the OTLP/HTTP receiver, say). Wrapping a
   * sink that is already serialized returns it unchanged.
   */
  static TelemetrySink serialized(TelemetrySink sink) {
    return sink instanceof SerializedSink ? sink : new SerializedSink(sink);
  }
}
