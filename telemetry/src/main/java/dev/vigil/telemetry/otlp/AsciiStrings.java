package dev.vigil.telemetry.otlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small per-thread, direct-mapped cache of short ASCII strings read from the wire: attribute
 * keys, span names, service names and most attribute values repeat from span to span, so the
 * streaming decoder hands out one shared instance (less garbage, and a hash code computed once for
 * the maps downstream) instead of a new string each time. A slot holds the last string that hashed
 * to it; a miss costs one allocation, as without the cache. Bounded: {@value #SLOTS} strings of at
 * most {@value #MAX_LENGTH} bytes per thread.
 */
final class AsciiStrings {
  static final int SLOTS = 1024;
  static final int MAX_LENGTH = 64;

  private static final ThreadLocal<AsciiStrings> CACHE = ThreadLocal.withInitial(AsciiStrings::new);

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  private AsciiStrings() {}

  static AsciiStrings forThisThread() {
    return CACHE.get();
  }

  /**
   * The string of {@code buf[offset, offset + length)} if those bytes are ASCII, else null (the
   * caller then checks and decodes UTF-8).
   *
   * <p>A hit costs one vectorised comparison with the cached bytes, which were ASCII when cached;
   * the slot is chosen from the length and up to eight bytes at each end rather than a hash of
   * every byte, since the comparison reads them all anyway.
   */
  String ascii(byte[] buf, int offset, int length) {
    if (length > MAX_LENGTH) {
      return isAscii(buf, offset, length)
          ? new String(buf, offset, length, StandardCharsets.ISO_8859_1)
          : null;
    }
    int slot = slot(buf, offset, length);
    byte[] cached = bytes[slot];
    if (cached != null && Arrays.equals(cached, 0, cached.length, buf, offset, offset + length)) {
      return strings[slot];
    }
    if (!isAscii(buf, offset, length)) {
      return null;
    }
    String s = new String(buf, offset, length, StandardCharsets.ISO_8859_1);
    bytes[slot] = Arrays.copyOfRange(buf, offset, offset + length);
    strings[slot] = s;
    return s;
  }

  private static int slot(byte[] buf, int offset, int length) {
    long h = length;
    if (length >= Long.BYTES) {
      h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(buf, offset);
      h = h * 0x9E3779B97F4A7C15L + (long) LONGS.get(buf, offset + length - Long.BYTES);
    } else {
      for (int i = offset, end = offset + length; i < end; i++) {
        h = h * 31 + buf[i];
      }
    }
    h *= 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & (SLOTS - 1);
  }

  private static boolean isAscii(byte[] buf, int offset, int length) {
    int bits = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      bits |= buf[i];
    }
    return bits >= 0;
  }
}
