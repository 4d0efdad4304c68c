package dev.vigil.telemetry.otlp;

import java.util.Arrays;

/**
 * A small per-thread, direct-mapped cache of trace or span ids rendered as hex. Ids repeat within a
 * message: the spans of a trace travel together (an SDK exports them in the same batch, mostly one
 * after another), and a span's id comes again as the parent id of its children (which end, and so
 * are exported, before it) and its siblings'. So the streaming decoder hands out one shared string
 * per id (its hash code then computed once, for the maps downstream) instead of rendering the hex
 * digits every time. A slot holds the last id that mapped to it; a miss costs what rendering costs
 * without the cache. Bounded: {@value #SLOTS} ids per kind and thread.
 */
final class IdStrings {
  static final int SLOTS = 512;

  private static final ThreadLocal<IdStrings> TRACE_IDS =
      ThreadLocal.withInitial(() -> new IdStrings(16));
  private static final ThreadLocal<IdStrings> SPAN_IDS =
      ThreadLocal.withInitial(() -> new IdStrings(8));

  private final int idBytes;
  private final byte[] ids;
  private final String[] strings = new String[SLOTS];
  private final byte[] scratch = new byte[32];

  private IdStrings(int idBytes) {
    this.idBytes = idBytes;
    this.ids = new byte[SLOTS * idBytes];
  }

  /** The trace id cache of this thread: {@link #id} gives what {@link Ids#traceId} gives. */
  static IdStrings traceIds() {
    return TRACE_IDS.get();
  }

  /** The span id cache of this thread: {@link #id} gives what {@link Ids#spanId} gives. */
  static IdStrings spanIds() {
    return SPAN_IDS.get();
  }

  /**
   * The id held in {@code buf[offset, offset + length)}, as {@link Ids#traceId(byte[], int, int)}
   * or {@link Ids#spanId(byte[], int, int)} gives it (same string, same errors).
   */
  String id(byte[] buf, int offset, int length) throws OtlpDecodeException {
    if (length != idBytes) {
      return render(buf, offset, length); // throws
    }
    // The low bytes of trace and span ids are random (W3C trace context).
    int last = offset + idBytes - 1;
    int slot = ((buf[last] & 0xff) ^ (buf[last - 1] & 0xff) << 3) & (SLOTS - 1);
    int at = slot * idBytes;
    String cached = strings[slot];
    if (cached != null && Arrays.equals(ids, at, at + idBytes, buf, offset, offset + idBytes)) {
      return cached;
    }
    String id = render(buf, offset, length); // validates: only valid ids are kept
    System.arraycopy(buf, offset, ids, at, idBytes);
    strings[slot] = id;
    return id;
  }

  private String render(byte[] buf, int offset, int length) throws OtlpDecodeException {
    return idBytes == 16
        ? Ids.traceId(buf, offset, length, scratch)
        : Ids.spanId(buf, offset, length, scratch);
  }
}
