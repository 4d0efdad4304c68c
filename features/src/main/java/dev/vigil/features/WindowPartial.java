package dev.vigil.features;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * One window's span aggregates from part of the traces (those of one partition of the trace-keyed
 * stream), before quantiles are taken: the partials of all partitions {@link #merge} into the
 * window's whole aggregate, which {@link #close()} turns into {@link WindowFeatures}. Counts add up
 * and the latency sketches merge exactly (DDSketch merge), so the merged window is the window one
 * aggregator would have built from all traces. Serialised with {@link #toBytes()} to travel between
 * Kafka Streams tasks. Mutable; not thread-safe.
 */
public final class WindowPartial {
  private static final int FORMAT = 1;
  private final WindowAccumulator accumulator;

  WindowPartial(WindowAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  /** An empty partial for a window without traffic. */
  public static WindowPartial empty(Instant start, Duration size) {
    return new WindowPartial(new WindowAccumulator(start, size));
  }

  public Instant start() {
    return accumulator.start();
  }

  public Duration size() {
    return accumulator.size();
  }

  public boolean isEmpty() {
    return accumulator.isEmpty();
  }

  /** Adds another partial of the same window. */
  public WindowPartial merge(WindowPartial other) {
    accumulator.merge(other.accumulator);
    return this;
  }

  public WindowFeatures close() {
    return accumulator.close();
  }

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      accumulator.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException for bytes not written by {@link #toBytes()} of this format
   */
  public static WindowPartial fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException(
            "window partial of format " + format + "; this build reads format " + FORMAT);
      }
      return new WindowPartial(WindowAccumulator.read(in));
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt window partial: " + e.getMessage(), e);
    }
  }
}
