package dev.vigil.trainingdata.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reproduces NAB's published scores from NAB's published detector outputs. */
class NabScorerTest {

  static final Path NAB = Path.of("../../shared/datasets/nab");

  private static NabCorpus corpus;
  private static NabPublishedResults published;
  private static Map<String, double[]> numenta;

  @BeforeAll
  static void load() {
    corpus = NabCorpus.load(NAB);
    published = NabPublishedResults.at(NAB);
    numenta = published.anomalyScores("numenta", corpus);
  }

  @Test
  void corpusHasAllSeriesWindowsAndProfiles() {
    assertThat(corpus.series()).hasSize(58);
    assertThat(corpus.windowCount()).isEqualTo(116);
    assertThat(corpus.profiles())
        .containsExactly(
            NabProfile.STANDARD, NabProfile.REWARD_LOW_FP_RATE, NabProfile.REWARD_LOW_FN_RATE);
    // Repeated timestamps are kept: 22695 rows, 12 of them repeats.
    NabSeries machine = corpus.series("realKnownCause/machine_temperature_system_failure.csv");
    assertThat(machine.rows()).hasSize(22695);
    assertThat(machine.rows().stream().map(NabRow::timestamp).distinct().count()).isEqualTo(22683);
    assertThat(corpus.series().stream().mapToInt(s -> s.rows().size()).sum()).isEqualTo(365_558);
  }

  @Test
  void scaledSigmoidAndProbationMatchNab() {
    assertThat(NabScorer.scaledSigmoid(-1)).isCloseTo(0.9866142981514305, within(1e-15));
    assertThat(NabScorer.scaledSigmoid(-0.5)).isCloseTo(0.8482836399575131, within(1e-15));
    assertThat(NabScorer.scaledSigmoid(0)).isEqualTo(0.0);
    assertThat(NabScorer.scaledSigmoid(1)).isCloseTo(-0.9866142981514303, within(1e-15));
    assertThat(NabScorer.scaledSigmoid(3)).isCloseTo(-0.9999993881955461, within(1e-15));
    assertThat(NabScorer.scaledSigmoid(3.0001)).isEqualTo(-1.0);
    assertThat(NabScorer.probationaryLength(4032)).isEqualTo(604);
    assertThat(NabScorer.probationaryLength(10320)).isEqualTo(750);
  }

  @ParameterizedTest(name = "numenta {0}")
  @ValueSource(strings = {"standard", "reward_low_FP_rate", "reward_low_FN_rate"})
  void numentaAtPublishedThresholdReproducesScoreboard(String profile) {
    NabScorer scorer = NabScorer.of(corpus, profile(profile));
    NabScore score = scorer.score(numenta, published.thresholds("numenta").get(profile));

    assertThat(score.normalisedScore())
        .isCloseTo(published.finalScores("numenta").get(profile), within(0.01));
    assertThat(score.normalisedScore())
        .isCloseTo(published.finalScores("numenta").get(profile), within(1e-9));
  }

  @Test
  void numentaStandardIs70101() {
    NabScore score =
        NabScorer.of(corpus, NabProfile.STANDARD)
            .score(numenta, published.thresholds("numenta").get("standard"));
    assertThat(score.normalisedScore()).isCloseTo(70.101, within(0.01));
    assertThat(score.rawScore()).isCloseTo(46.634450197137596, within(1e-9));
  }

  @ParameterizedTest(name = "null {0}")
  @ValueSource(strings = {"standard", "reward_low_FP_rate", "reward_low_FN_rate"})
  void nullDetectorScoresZero(String profile) {
    NabScorer scorer = NabScorer.of(corpus, profile(profile));
    Map<String, double[]> nulls = published.anomalyScores("null", corpus);
    NabScore score = scorer.score(nulls, published.thresholds("null").get(profile));

    assertThat(score.rawScore()).isEqualTo(scorer.nullScore());
    assertThat(score.normalisedScore()).isEqualTo(0.0);
    assertThat(scorer.optimise(nulls).normalisedScore()).isEqualTo(0.0);
  }

  @ParameterizedTest(name = "numenta per file {0}")
  @ValueSource(strings = {"standard", "reward_low_FP_rate", "reward_low_FN_rate"})
  void numentaPerFileScoresMatchPublishedCsv(String profile) {
    NabScorer scorer = NabScorer.of(corpus, profile(profile));
    double threshold = published.thresholds("numenta").get(profile);
    Map<String, Double> expected = published.fileScores("numenta", profile);

    assertThat(expected).hasSize(58);
    expected.forEach(
        (path, score) ->
            assertThat(scorer.rawScore(path, numenta.get(path), threshold))
                .as(path)
                .isCloseTo(score, within(1e-9)));
  }

  @ParameterizedTest(name = "optimise numenta {0}")
  @ValueSource(strings = {"standard", "reward_low_FP_rate", "reward_low_FN_rate"})
  void optimiserFindsAtLeastThePublishedScore(String profile) {
    NabScorer scorer = NabScorer.of(corpus, profile(profile));
    NabScore best = scorer.optimise(numenta);

    assertThat(best.normalisedScore())
        .isGreaterThanOrEqualTo(published.finalScores("numenta").get(profile) - 1e-9);
    // The pooled sweep and the per-file sum agree at the optimum.
    assertThat(scorer.score(numenta, best.threshold()).rawScore())
        .isCloseTo(best.rawScore(), within(1e-9));
  }

  private static NabProfile profile(String name) {
    return corpus.profiles().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
