package dev.vigil.ingest;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the ingest thread's decoded records meet the {@link TelemetrySink}: on the ingest thread
 * itself ({@link #direct}) or on a sink thread behind a bounded queue ({@link #handOff}). Every
 * method is called by the ingest thread; records and sink calls are delivered in the order they
 * were submitted.
 */
interface SinkStage extends AutoCloseable {

  /**
   * A consistent view of the sink's progress.
   *
   * @param delivered how many submitted records the sink is done with (accepted or dead-lettered)
   * @param durableUpTo {@link TelemetrySink#durableUpTo()}, read after the last of them and before
   *     the next
   */
  record Progress(long delivered, Optional<Instant> durableUpTo) {}

  /** Runs the sink on the ingest thread: {@link #submit} returns once the record is delivered. */
  static SinkStage direct(RecordHandler handler, TelemetrySink sink) {
    return new DirectSinkStage(handler, sink);
  }

  /**
   * Runs the sink on a thread of its own named {@code threadName}, fed through a queue of at most
   * {@code capacity} records and calls; {@link #submit} blocks while it is full.
   */
  static SinkStage handOff(
      RecordHandler handler, TelemetrySink sink, int capacity, String threadName) {
    return new HandOffSinkStage(handler, sink, capacity, threadName);
  }

  /** Hands a decoded (or already dead-lettered) record to the sink, in order. */
  void submit(IngestedRecord record);

  /** Makes a call on the sink ({@code lanesAssigned}, {@code laneIdle}, {@code resumeFrom}). */
  void control(Consumer<TelemetrySink> call);

  /** How far the sink got. */
  Progress progress();

  /**
   * Waits until the sink is done with everything submitted so far (or its thread has died). Returns
   * at once when called by the sink's own thread.
   */
  void drain();

  /**
   * Whether {@code thread} is the one that runs the sink for this stage (not the ingest thread).
   */
  boolean isSinkThread(Thread thread);

  /** Delivers what was submitted, then stops the sink thread, if any. Idempotent. */
  @Override
  void close();
}
