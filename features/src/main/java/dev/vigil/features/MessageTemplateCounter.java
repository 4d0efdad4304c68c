package dev.vigil.features;

import dev.vigil.features.LogFeatures.MessageCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Counts log messages by template, keeping the most frequent in bounded memory.
 *
 * <p>A message becomes a template by keeping its first line, replacing UUIDs with {@code <uuid>},
 * hexadecimal tokens of eight characters or more that mix letters and digits (trace ids, hashes,
 * addresses) with {@code <hex>} and numbers with {@code <n>}, collapsing whitespace and cutting it
 * to {@value #MAX_LENGTH} characters; so {@code "order 1234 failed"} and {@code "order 98 failed"}
 * count together.
 *
 * <p>Templates are counted with the Space-Saving algorithm (Metwally, Agrawal and El Abbadi,
 * "Efficient computation of frequent and top-k elements in data streams", ICDT 2005): at most
 * {@value #CAPACITY} counters; a new template when all are taken replaces the least frequent and
 * inherits its count plus one. Every template occurring more than {@code n / capacity} times is
 * kept, and a count exceeds the true one by at most the count it inherited. O(capacity) per new
 * template when full, O(1) otherwise.
 */
final class MessageTemplateCounter {
  static final int CAPACITY = 32;
  static final int MAX_LENGTH = 120;

  private static final Pattern UUID =
      Pattern.compile(
          "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
  private static final Pattern HEX =
      Pattern.compile("\\b(?:0x)?(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private final Map<String, long[]> counts = new HashMap<>();

  void add(String message) {
    String template = template(message);
    long[] c = counts.get(template);
    if (c != null) {
      c[0]++;
      return;
    }
    if (counts.size() < CAPACITY) {
      counts.put(template, new long[] {1});
      return;
    }
    Map.Entry<String, long[]> least = null;
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      if (least == null || e.getValue()[0] < least.getValue()[0]) {
        least = e;
      }
    }
    long inherited = least.getValue()[0];
    counts.remove(least.getKey());
    counts.put(template, new long[] {inherited + 1});
  }

  /** The {@code k} most frequent templates, most frequent first, ties by template. */
  List<MessageCount> top(int k) {
    List<MessageCount> all = new ArrayList<>(counts.size());
    counts.forEach((t, c) -> all.add(new MessageCount(t, c[0])));
    all.sort(
        Comparator.comparingLong(MessageCount::count)
            .reversed()
            .thenComparing(MessageCount::message));
    return all.subList(0, Math.min(k, all.size()));
  }

  static String template(String message) {
    String m = message == null ? "" : message;
    int newline = m.indexOf('\n');
    if (newline >= 0) {
      m = m.substring(0, newline);
    }
    if (m.length() > 4 * MAX_LENGTH) {
      m = m.substring(0, 4 * MAX_LENGTH);
    }
    m = UUID.matcher(m).replaceAll("<uuid>");
    m = HEX.matcher(m).replaceAll("<hex>");
    m = NUMBER.matcher(m).replaceAll("<n>");
    m = SPACES.matcher(m).replaceAll(" ").strip();
    if (m.isEmpty()) {
      return "<empty>";
    }
    return m.length() > MAX_LENGTH ? m.substring(0, MAX_LENGTH) : m;
  }
}
