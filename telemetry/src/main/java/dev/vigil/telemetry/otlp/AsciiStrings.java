package dev.vigil.telemetry.otlp;

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

  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  private AsciiStrings() {}

  static AsciiStrings forThisThread() {
    return CACHE.get();
  }

  /**
   * The string of {@code buf[offset, offset + length)} if those bytes are ASCII, else null (the
   * caller then checks and decodes UTF-8).
   */
  String ascii(byte[] buf, int offset, int length) {
    int hash = length;
    int bits = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      byte b = buf[i];
      hash = 31 * hash + b;
      bits |= b;
    }
    if (bits < 0) {
      return null;
    }
    if (length > MAX_LENGTH) {
      return new String(buf, offset, length, StandardCharsets.ISO_8859_1);
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    byte[] cached = bytes[slot];
    if (cached != null && Arrays.equals(cached, 0, cached.length, buf, offset, offset + length)) {
      return strings[slot];
    }
    String s = new String(buf, offset, length, StandardCharsets.ISO_8859_1);
    bytes[slot] = Arrays.copyOfRange(buf, offset, offset + length);
    strings[slot] = s;
    return s;
  }
}
