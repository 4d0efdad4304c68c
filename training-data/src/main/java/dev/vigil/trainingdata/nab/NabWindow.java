package dev.vigil.trainingdata.nab;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * A labelled anomaly window of a NAB series, closed at both ends.
 *
 * @param start the timestamp of the first row in the window
 * @param end the timestamp of the last row in the window
 */
public record NabWindow(LocalDateTime start, LocalDateTime end) {

  /** Checks that both ends are present and in order. */
  public NabWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("window end " + end + " is before its start " + start);
    }
  }
}
