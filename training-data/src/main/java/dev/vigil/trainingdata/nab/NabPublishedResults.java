package dev.vigil.trainingdata.nab;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader for the results NAB publishes under {@code results/} and {@code config/thresholds.json}:
 * per-row detector outputs, the thresholds behind the scoreboard, the scoreboard itself and the
 * per-file scores. Used to check a scorer against the published figures and to compare detectors.
 */
public final class NabPublishedResults {

  private final Path root;

  private NabPublishedResults(Path root) {
    this.root = root;
  }

  /** Reads from a NAB root folder holding {@code results/} and {@code config/}. */
  public static NabPublishedResults at(Path root) {
    return new NabPublishedResults(root);
  }

  /**
   * The {@code anomaly_score} column of {@code results/<detector>/<category>/<detector>_<name>.csv}
   * for every series of the corpus, keyed by relative path, as {@link NabScorer} takes them.
   */
  public Map<String, double[]> anomalyScores(String detector, NabCorpus corpus) {
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (NabSeries series : corpus.series()) {
      Path file =
          root.resolve("results")
              .resolve(detector)
              .resolve(series.category())
              .resolve(detector + "_" + series.name() + ".csv");
      scores.put(series.relativePath(), NabCsv.read(file).doubles("anomaly_score"));
    }
    return scores;
  }

  /** The thresholds of {@code config/thresholds.json} for a detector, keyed by profile name. */
  public Map<String, Double> thresholds(String detector) {
    JsonNode node = NabCorpus.readJson(root.resolve("config/thresholds.json")).required(detector);
    Map<String, Double> thresholds = new LinkedHashMap<>();
    node.properties()
        .forEach(e -> thresholds.put(e.getKey(), e.getValue().required("threshold").asDouble()));
    return thresholds;
  }

  /** The normalised scores of {@code results/final_results.json}, keyed by profile name. */
  public Map<String, Double> finalScores(String detector) {
    JsonNode node =
        NabCorpus.readJson(root.resolve("results/final_results.json")).required(detector);
    Map<String, Double> scores = new LinkedHashMap<>();
    node.properties().forEach(e -> scores.put(e.getKey(), e.getValue().asDouble()));
    return scores;
  }

  /**
   * The per-file {@code Score} column of {@code
   * results/<detector>/<detector>_<profile>_scores.csv}, keyed by relative path; the {@code Totals}
   * row is left out.
   */
  public Map<String, Double> fileScores(String detector, String profile) {
    Path file =
        root.resolve("results").resolve(detector).resolve(detector + "_" + profile + "_scores.csv");
    NabCsv.Table table = NabCsv.read(file);
    int path = table.column("File");
    int score = table.column("Score");
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String[] row : table.rows()) {
      if (!row[path].isEmpty()) {
        scores.put(row[path], Double.parseDouble(row[score]));
      }
    }
    return scores;
  }
}
