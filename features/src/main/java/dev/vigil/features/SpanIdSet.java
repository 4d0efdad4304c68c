package dev.vigil.features;

import java.util.Arrays;

/**
 * An insertion-ordered set of span ids, cheaper than a {@code HashSet<String>} on the per-span
 * path: an id of 16 lowercase hex characters (the canonical form, see {@code SpanRecord}) is keyed
 * by the 64-bit value it spells, any other string by its hash; a match of keys is confirmed with
 * {@link String#equals}, so the set is exact for any string. Small sets are scanned linearly; from
 * {@value #SCAN_LIMIT} ids on, an open-addressing table of positions is kept as well. No per-id
 * allocation.
 */
final class SpanIdSet {
  private static final int SCAN_LIMIT = 16;
  private static final long NOT_CANONICAL = 0x9E3779B97F4A7C15L;

  private long[] keys;
  private String[] ids;
  private int size;

  /** Positions + 1 of the ids, by key; null while the set is small. */
  private int[] table;

  SpanIdSet(int expected) {
    int capacity = Math.max(4, expected);
    keys = new long[capacity];
    ids = new String[capacity];
  }

  int size() {
    return size;
  }

  /** The id at a position, in insertion order. */
  String id(int position) {
    return ids[position];
  }

  /** Adds an id; false if it is already present. */
  boolean add(String id) {
    long key = key(id);
    if (indexOf(key, id) >= 0) {
      return false;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    keys[size] = key;
    ids[size] = id;
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

  boolean contains(String id) {
    return indexOf(id) >= 0;
  }

  /** The position of an id, or -1. */
  int indexOf(String id) {
    return indexOf(key(id), id);
  }

  /** Adds every id of another set. */
  void addAll(SpanIdSet other) {
    for (int i = 0; i < other.size; i++) {
      add(other.ids[i]);
    }
  }

  private int indexOf(long key, String id) {
    if (table == null) {
      for (int i = 0; i < size; i++) {
        if (keys[i] == key && ids[i].equals(id)) {
          return i;
        }
      }
      return -1;
    }
    int mask = table.length - 1;
    for (int slot = slot(key, mask); table[slot] != 0; slot = (slot + 1) & mask) {
      int i = table[slot] - 1;
      if (keys[i] == key && ids[i].equals(id)) {
        return i;
      }
    }
    return -1;
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

  /** The value of a canonical id (16 lowercase hex characters); else a hash of the string. */
  static long key(String id) {
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
    return v;
  }
}
