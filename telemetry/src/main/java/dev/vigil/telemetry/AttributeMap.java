package dev.vigil.telemetry;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable attribute map kept as one array of alternating keys and values, in the order the
 * attributes came. The decoders make one per span, so it is built for that: {@code Map.of} hashes
 * every key into a probe table four times the map's size (two arrays and a hash per key per span,
 * most of them never looked up), while this copies the pairs once and finds a key by a linear scan,
 * which for the handful of attributes a span carries (and the few lookups made per span) is as
 * fast. A key is found in about {@code size} comparisons, first by identity (the streaming decoder
 * hands out shared key strings), so a map of very many attributes is slower to query than a hash
 * map; SDKs keep them to 128 by default, and the decoders to 1,024.
 *
 * <p>Equal to, and with the hash code of, any {@link Map} with the same entries. No null keys or
 * values; no duplicate keys (the factory's caller guarantees both).
 */
public final class AttributeMap extends AbstractMap<String, Object> {
  private static final AttributeMap EMPTY = new AttributeMap(new Object[0]);

  /** key0, value0, key1, value1, ... */
  private final Object[] pairs;

  private AttributeMap(Object[] pairs) {
    this.pairs = pairs;
  }

  /**
   * The map of the first {@code size} pairs of {@code keys} and {@code values}, which are copied.
   *
   * @throws NullPointerException if a key or value is null
   * @throws IllegalArgumentException if a key repeats
   */
  public static Map<String, Object> copyOf(String[] keys, Object[] values, int size) {
    if (size == 0) {
      return EMPTY;
    }
    Object[] pairs = new Object[2 * size];
    for (int i = 0; i < size; i++) {
      String k = keys[i];
      Object v = values[i];
      if (k == null || v == null) {
        throw new NullPointerException("attribute " + i + " has a null key or value");
      }
      for (int j = 0; j < i; j++) {
        if (k.hashCode() == keys[j].hashCode() && k.equals(keys[j])) {
          throw new IllegalArgumentException("duplicate attribute key " + k);
        }
      }
      pairs[2 * i] = k;
      pairs[2 * i + 1] = v;
    }
    return new AttributeMap(pairs);
  }

  /**
   * An immutable copy of any attribute map: the map itself when it is already an {@code
   * AttributeMap}, else {@link Map#copyOf}.
   */
  public static Map<String, Object> immutable(Map<String, Object> attributes) {
    return attributes instanceof AttributeMap ? attributes : Map.copyOf(attributes);
  }

  @Override
  public int size() {
    return pairs.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : pairs[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept((String) pairs[i], pairs[i + 1]);
    }
  }

  private int indexOf(Object key) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i] == key) {
        return i;
      }
    }
    if (key == null) {
      return -1;
    }
    int hash = key.hashCode(); // strings cache theirs, so a miss costs an int comparison
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].hashCode() == hash && pairs[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return pairs.length / 2;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < pairs.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= pairs.length) {
              throw new NoSuchElementException();
            }
            Entry<String, Object> e = Map.entry((String) pairs[next], pairs[next + 1]);
            next += 2;
            return e;
          }
        };
      }
    };
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      h += pairs[i].hashCode() ^ pairs[i + 1].hashCode();
    }
    return h;
  }
}
