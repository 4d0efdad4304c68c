package dev.vigil.service.streams;

import java.nio.ByteBuffer;

/**
 * What a trace partition tells the window engine: a closed window's partial; that it is idle (read
 * up to the end of its partition and quiet) as of its last closed window; or that it is active
 * again (not idle, no partial: sent before anything else once records arrive after an idle
 * message).
 *
 * @param partition the trace partition
 * @param partitions how many trace partitions there are
 * @param windowStartNanos the window's start (for an idle message: where its next window starts, or
 *     {@link Long#MIN_VALUE} if it never closed one)
 * @param partial the window's partial bytes; empty for an idle message
 */
record PartialMessage(
    boolean idle, int partition, int partitions, long windowStartNanos, byte[] partial) {
  private static final byte FORMAT = 1;

  boolean active() {
    return !idle && partial.length == 0;
  }

  byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(1 + 1 + 4 + 4 + 8 + partial.length);
    b.put(FORMAT).put((byte) (idle ? 1 : 0)).putInt(partition).putInt(partitions);
    b.putLong(windowStartNanos).put(partial);
    return b.array();
  }

  static PartialMessage fromBytes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte format = b.get();
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "window partial message of format " + format + "; this build reads format " + FORMAT);
    }
    boolean idle = b.get() == 1;
    int partition = b.getInt();
    int partitions = b.getInt();
    long start = b.getLong();
    byte[] partial = new byte[b.remaining()];
    b.get(partial);
    return new PartialMessage(idle, partition, partitions, start, partial);
  }
}
