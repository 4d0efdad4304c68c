package dev.vigil.trainingdata.nab;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One data row of a NAB series.
 *
 * @param timestamp the row's timestamp; NAB timestamps carry no zone and are treated as UTC
 * @param value the observed value
 */
public record NabRow(LocalDateTime timestamp, double value) {

  /** Checks that the timestamp is present. */
  public NabRow {
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
