package dev.vigil.telemetry.otlp;

import java.util.Arrays;

/**
 * A small per-thread, direct-mapped cache of trace ids rendered as hex. The spans of a trace travel
 * together (an SDK exports them in the same batch, mostly one after another), so the streaming
 * decoder hands out one shared string per trace id (its hash code then computed once, for the maps
 * downstream) instead of rendering 32 hex digits for every span. A slot holds the last id that
 * mapped to it; a miss costs what rendering costs without the cache. Bounded: {@value #SLOTS} ids
 * per thread.
 */
final class TraceIdStrings {
  static final int SLOTS = 256;
  private static final int ID_BYTES = 16;

  private static final ThreadLocal<TraceIdStrings> CACHE =
      ThreadLocal.withInitial(TraceIdStrings::new);

  private final byte[] ids = new byte[SLOTS * ID_BYTES];
  private final String[] strings = new String[SLOTS];

  private TraceIdStrings() {}

  static TraceIdStrings forThisThread() {
    return CACHE.get();
  }

  /**
   * The trace id held in {@code buf[offset, offset + length)}, as {@link Ids#traceId(byte[], int,
   * int)} gives it (same string, same errors).
   */
  String traceId(byte[] buf, int offset, int length) throws OtlpDecodeException {
    if (length != ID_BYTES) {
      return Ids.traceId(buf, offset, length); // throws
    }
    // The low bytes of a trace id are random (W3C trace context).
    int slot = ((buf[offset + 15] & 0xff) ^ (buf[offset + 14] & 0xff) << 3) & (SLOTS - 1);
    int at = slot * ID_BYTES;
    String cached = strings[slot];
    if (cached != null && Arrays.equals(ids, at, at + ID_BYTES, buf, offset, offset + ID_BYTES)) {
      return cached;
    }
    String id = Ids.traceId(buf, offset, length); // validates: only valid ids are kept
    System.arraycopy(buf, offset, ids, at, ID_BYTES);
    strings[slot] = id;
    return id;
  }
}
