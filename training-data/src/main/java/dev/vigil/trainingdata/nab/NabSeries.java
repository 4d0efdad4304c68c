package dev.vigil.trainingdata.nab;

import java.util.List;
import java.util.Objects;

/**
 * One NAB data file with its ground truth.
 *
 * @param category the corpus folder, e.g. {@code realKnownCause}
 * @param name the file name without {@code .csv}, e.g. {@code nyc_taxi}
 * @param rows every data row in file order, repeated timestamps included
 * @param windows the labelled anomaly windows in time order; empty for files without anomalies
 */
public record NabSeries(String category, String name, List<NabRow> rows, List<NabWindow> windows) {

  /** Copies the lists and checks that the fields are present. */
  public NabSeries {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(name, "name");
    rows = List.copyOf(rows);
    windows = List.copyOf(windows);
  }

  /**
   * The path relative to the data folder, as NAB keys files, e.g. {@code
   * realKnownCause/nyc_taxi.csv}.
   */
  public String relativePath() {
    return category + "/" + name + ".csv";
  }
}
