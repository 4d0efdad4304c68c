package dev.vigil.service.alerting;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's alert fingerprint: 64-bit FNV-1a over the label names and values in name order,
 * each followed by the byte 0xff (Prometheus {@code model.LabelSet.Fingerprint}), as 16 hex digits.
 * Computing it the same way lets a webhook receiver match our fingerprints with Alertmanager's.
 */
final class Fingerprints {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprints() {}

  static String of(Map<String, String> labels) {
    long h = OFFSET;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      h = add(h, e.getKey());
      h = add(h, e.getValue());
    }
    return String.format("%016x", h);
  }

  private static long add(long h, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= PRIME;
    }
    h ^= 0xff;
    return h * PRIME;
  }
}
