package dev.vigil.nlq;

import java.time.Duration;
import java.time.Instant;

/**
 * A span of event time {@code [from, to)}, with how the question named it.
 *
 * @param label for people, in the question's language: "past 15 minutes", "昨天"
 */
public record TimeRange(Instant from, Instant to, String label) {
  public TimeRange {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("time range ends before it starts: " + from + " " + to);
    }
  }

  /**
   * The range as English words after a clause: "in the past hour", "yesterday", "today", "since
   * 10:00".
   */
  public String during() {
    return label.startsWith("past ") || label.startsWith("last ") ? "in the " + label : label;
  }

  public Duration length() {
    return Duration.between(from, to);
  }

  /** The same length, ending {@code back} earlier. */
  public TimeRange shiftedBack(Duration back, String label) {
    return new TimeRange(from.minus(back), to.minus(back), label);
  }

  /**
   * Whether something that ran from {@code start} to {@code end} (null: still running) overlaps.
   */
  public boolean overlaps(Instant start, Instant end) {
    return start.isBefore(to) && (end == null || !end.isBefore(from));
  }
}
