package dev.vigil.features;

import java.util.Arrays;

/**
 * An insertion-ordered set of span ids, cheaper than a {@code HashSet<String>} on the per-span
 * path, and holding no strings for canonical ids. An id of 16 lowercase hex characters (the form
 * every decoder gives, see {@code SpanRecord}) is keyed by the 64-bit value it spells, which
 * identifies it exactly, so only its key is kept; any other string is keyed by its hash and kept,
 * and a match of keys is confirmed with {@link String#equals}, so the set is exact for any string.
 * Small sets are scanned linearly; from {@value #SCAN_LIMIT} ids on, an open-addressing table of
 * positions is kept as well. No per-id allocation.
 *
 * <p>Not thread-safe: {@link #key} leaves the canonical flag of the id it read in the instance.
 */
final class SpanIdSet {
  private static final int SCAN_LIMIT = 16;
  private static final long NOT_CANONICAL = 0x9E3779B97F4A7C15L;

  private long[] keys;

  /** The ids that are not canonical, by position (null for a canonical one); null until one is. */
  private String[] others;

  private int size;

  /** Positions + 1 of the ids, by key; null while the set is small. */
  private int[] table;

  /** Whether the id last given to {@link #key} was canonical. */
  private boolean canonical;

  SpanIdSet(int expected) {
    keys = new long[Math.max(4, expected)];
  }

  int size() {
    return size;
  }

  /** Adds an id; false if it is already present. */
  boolean add(String id) {
    long key = key(id);
    return add(key, canonical ? null : id);
  }

  boolean contains(String id) {
    return indexOf(id) >= 0;
  }

  /** The position of an id in insertion order, or -1. */
  int indexOf(String id) {
    long key = key(id);
    return indexOf(key, canonical ? null : id);
  }

  /**
   * The key of an id, as {@link #add(long, String)} and {@link #indexOf(long, String)} take it;
   * afterwards {@link #lastWasCanonical()} tells whether the id must go with it (when it is not
   * canonical).
   */
  long key(String id) {
    canonical = false;
    if (id.length() != 16) {
      return id.hashCode() * NOT_CANONICAL;
    }
    long v = 0;
    for (int i = 0; i < 16; i++) {
      char c = id.charAt(i);
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else {
        return id.hashCode() * NOT_CANONICAL;
      }
      v = (v << 4) | d;
    }
    canonical = true;
    return v;
  }

  boolean lastWasCanonical() {
    return canonical;
  }

  /**
   * Adds an id by its {@link #key}; {@code other} is the id itself when it is not canonical, else
   * null. False if the id is already present.
   */
  boolean add(long key, String other) {
    if (indexOf(key, other) >= 0) {
      return false;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      if (others != null) {
        others = Arrays.copyOf(others, size * 2);
      }
    }
    if (other != null && others == null) {
      others = new String[keys.length];
    }
    keys[size] = key;
    if (others != null) {
      others[size] = other;
    }
    size++;
    if (table != null && size * 2 > table.length) {
      rebuild(table.length * 2);
    } else if (table != null) {
      insert(table, key, size - 1);
    } else if (size > SCAN_LIMIT) {
      rebuild(Integer.highestOneBit(size) * 4);
    }
    return true;
  }

  /** Adds the ids of another set that this one lacks. */
  void addAll(SpanIdSet other) {
    for (int i = 0; i < other.size; i++) {
      add(other.keys[i], other.others == null ? null : other.others[i]);
    }
  }

  /** The position of an id given by its {@link #key} (and itself when not canonical), or -1. */
  int indexOf(long key, String other) {
    if (table == null) {
      for (int i = 0; i < size; i++) {
        if (keys[i] == key && sameOther(i, other)) {
          return i;
        }
      }
      return -1;
    }
    int mask = table.length - 1;
    for (int slot = slot(key, mask); table[slot] != 0; slot = (slot + 1) & mask) {
      int i = table[slot] - 1;
      if (keys[i] == key && sameOther(i, other)) {
        return i;
      }
    }
    return -1;
  }

  private boolean sameOther(int i, String other) {
    String mine = others == null ? null : others[i];
    return mine == null ? other == null : mine.equals(other);
  }

  private void rebuild(int capacity) {
    int[] next = new int[capacity];
    for (int i = 0; i < size; i++) {
      insert(next, keys[i], i);
    }
    table = next;
  }

  private static void insert(int[] table, long key, int position) {
    int mask = table.length - 1;
    int slot = slot(key, mask);
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = position + 1;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
