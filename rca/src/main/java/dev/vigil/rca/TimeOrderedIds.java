package dev.vigil.rca;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Identifiers that sort by time and are unique across restarts and instances, in the layout of a
 * ULID (https://github.com/ulid/spec): 48 bits of milliseconds since the epoch then 80 random bits,
 * written as 26 characters of Crockford's base 32, after a prefix ({@code inc-}, {@code alert-}).
 * The time is the event time the caller passes (an incident's detection), never the wall clock; the
 * random part is what keeps two instances, or a restarted one, from ever repeating an id. Written
 * here rather than taken from a library because it is twenty lines and the ULID libraries on Maven
 * Central read the wall clock themselves. Thread-safe when its random generator is.
 */
public final class TimeOrderedIds {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final RandomGenerator random;

  private TimeOrderedIds(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Ids with a cryptographically strong random part: the default for a running service. */
  public static TimeOrderedIds secure() {
    return new TimeOrderedIds(new SecureRandom());
  }

  /** Reproducible ids, for tests and evaluations. */
  public static TimeOrderedIds seeded(long seed) {
    return new TimeOrderedIds(new SplittableRandom(seed));
  }

  /** A new id: {@code prefix} then 26 characters; later times sort after earlier ones. */
  public synchronized String next(String prefix, Instant at) {
    char[] out = new char[26];
    encode(out, 0, 10, Math.max(0, at.toEpochMilli()) & 0xFFFF_FFFF_FFFFL); // 48 bits of time
    encode(out, 10, 12, random.nextLong()); // 60 random bits
    encode(out, 22, 4, random.nextLong()); // and 20 more: 80
    return prefix + new String(out);
  }

  /** The low {@code 5 * count} bits of {@code bits}, most significant first. */
  private static void encode(char[] out, int from, int count, long bits) {
    for (int i = from + count - 1; i >= from; i--) {
      out[i] = CROCKFORD[(int) (bits & 31)];
      bits >>>= 5;
    }
  }
}
