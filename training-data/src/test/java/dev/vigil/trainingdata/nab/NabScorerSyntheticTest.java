package dev.vigil.trainingdata.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring rules on a hand-built one-file corpus: 200 rows, probation 30, window rows 100-119.
 */
class NabScorerSyntheticTest {

  static final String PATH = "synthetic/one.csv";
  static final LocalDateTime T0 = LocalDateTime.of(2020, 1, 1, 0, 0);

  @TempDir Path root;
  NabScorer scorer;

  @BeforeEach
  void writeCorpus() throws IOException {
    StringBuilder csv = new StringBuilder("timestamp,value\n");
    for (int i = 0; i < 200; i++) {
      csv.append(NabCsv.FORMATTER.format(T0.plusMinutes(5L * i))).append(",1.0\n");
    }
    Files.createDirectories(root.resolve("data/synthetic"));
    Files.writeString(root.resolve("data/synthetic/one.csv"), csv);
    Files.createDirectories(root.resolve("labels"));
    Files.writeString(
        root.resolve("labels/combined_windows.json"),
        "{\"synthetic/one.csv\": [[\""
            + NabCsv.FORMATTER.format(T0.plusMinutes(500))
            + ".000000\", \""
            + NabCsv.FORMATTER.format(T0.plusMinutes(5 * 119))
            + ".000000\"]]}");
    Files.createDirectories(root.resolve("config"));
    Files.writeString(
        root.resolve("config/profiles.json"),
        "{\"standard\": {\"CostMatrix\": {\"tpWeight\": 1.0, \"fnWeight\": 1.0,"
            + " \"fpWeight\": 0.11, \"tnWeight\": 1.0}}}");
    scorer = NabScorer.of(NabCorpus.load(root), NabProfile.STANDARD);
  }

  private double rawWithDetectionsAt(int... rows) {
    double[] scores = new double[200];
    Arrays.stream(rows).forEach(r -> scores[r] = 1.0);
    return scorer.rawScore(PATH, scores, 0.5);
  }

  @Test
  void missedWindowCostsFnWeightAndProbationIsIgnored() {
    assertThat(rawWithDetectionsAt()).isEqualTo(-1.0);
    assertThat(rawWithDetectionsAt(0, 29)).isEqualTo(-1.0);
    assertThat(scorer.normalise(-1.0)).isEqualTo(0.0);
  }

  @Test
  void earliestDetectionInWindowEarnsTheScaledSigmoid() {
    assertThat(rawWithDetectionsAt(100)).isCloseTo(1.0, within(1e-15));
    assertThat(rawWithDetectionsAt(100, 110, 119)).isCloseTo(1.0, within(1e-15));
    double atRightEdge = NabScorer.scaledSigmoid(-1.0 / 20) / NabScorer.scaledSigmoid(-1.0);
    assertThat(rawWithDetectionsAt(119)).isCloseTo(atRightEdge, within(1e-15));
    assertThat(scorer.normalise(1.0)).isEqualTo(100.0);
  }

  @Test
  void falsePositivesCostFpWeightBeforeAndLessJustAfterTheWindow() {
    assertThat(rawWithDetectionsAt(30)).isCloseTo(-1.0 - 0.11, within(1e-15));
    double justAfter = NabScorer.scaledSigmoid(1.0 / 19) * 0.11;
    assertThat(rawWithDetectionsAt(120)).isCloseTo(-1.0 + justAfter, within(1e-15));
    assertThat(rawWithDetectionsAt(199)).isCloseTo(-1.0 - 0.11, within(1e-15));
  }

  @Test
  void optimiserPicksTheBestAndHighestThreshold() {
    double[] scores = new double[200];
    scores[100] = 0.9;
    scores[150] = 0.8;
    scores[50] = 0.7;
    NabScore best = scorer.optimise(Map.of(PATH, scores));
    assertThat(best.threshold()).isEqualTo(0.9);
    assertThat(best.rawScore()).isCloseTo(1.0, within(1e-15));

    NabScore none = scorer.optimise(Map.of(PATH, new double[200]));
    assertThat(none.threshold()).isEqualTo(1.1);
    assertThat(none.normalisedScore()).isEqualTo(0.0);
  }

  @Test
  void rejectsScoresThatDoNotFitTheSeries() {
    assertThatThrownBy(() -> scorer.rawScore(PATH, new double[3], 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 anomaly scores for 200 rows");
    assertThatThrownBy(() -> scorer.optimise(Map.of()))
        .hasMessageContaining("no anomaly scores for " + PATH);
  }
}
