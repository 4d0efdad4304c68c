package dev.vigil.trainingdata.nab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.UnivariateDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs trivial detectors over the whole corpus. */
class NabEvaluationTest {

  private static NabCorpus corpus;

  @BeforeAll
  static void load() {
    corpus = NabCorpus.load(NabScorerTest.NAB);
  }

  /** Scores a constant 0.5, like NAB's null detector. */
  static final class ConstantDetector implements UnivariateDetector {
    @Override
    public double scoreAndLearn(long epochMillis, double value) {
      return 0.5;
    }

    @Override
    public String name() {
      return "constant";
    }
  }

  /**
   * |z| / 10 against the running mean and variance (Welford) of the earlier points, capped at 1.
   */
  static final class RunningZScoreDetector implements UnivariateDetector {
    private long count;
    private double mean;
    private double m2;

    @Override
    public double scoreAndLearn(long epochMillis, double value) {
      double score = 0;
      if (count > 1 && m2 > 0) {
        score = Math.min(1, Math.abs(value - mean) / Math.sqrt(m2 / (count - 1)) / 10);
      }
      count++;
      double delta = value - mean;
      mean += delta / count;
      m2 += delta * (value - mean);
      return score;
    }

    @Override
    public String name() {
      return "zscore";
    }
  }

  @Test
  void writesOneNabResultFilePerSeries(@TempDir Path out) throws IOException {
    NabEvaluation.Result result = NabEvaluation.of(corpus, out, 2).run(RunningZScoreDetector::new);

    for (NabSeries series : corpus.series()) {
      Path file =
          out.resolve("zscore")
              .resolve(series.category())
              .resolve("zscore_" + series.name() + ".csv");
      List<String> lines = Files.readAllLines(file);
      assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score");
      assertThat(lines).hasSize(series.rows().size() + 1);
      assertThat(lines.get(1))
          .startsWith(NabCsv.FORMATTER.format(series.rows().get(0).timestamp()));
      NabCsv.Table table = NabCsv.read(file);
      assertThat(Arrays.stream(table.doubles("anomaly_score")).allMatch(s -> s >= 0 && s <= 1))
          .as(file.toString())
          .isTrue();
    }
    assertThat(result.detector()).isEqualTo("zscore");
    assertThat(result.rejectedScores()).isZero();
    assertThat(result.scores())
        .extracting(NabScore::profile)
        .containsExactly("standard", "reward_low_FP_rate", "reward_low_FN_rate");
    // The optimiser never does worse than detecting nothing.
    assertThat(result.scores())
        .allMatch(s -> s.normalisedScore() >= 0 && s.normalisedScore() < 100);
  }

  @Test
  void resultDoesNotDependOnParallelism(@TempDir Path out) {
    NabEvaluation.Result serial =
        NabEvaluation.of(corpus, out.resolve("one"), 1).run(RunningZScoreDetector::new);
    NabEvaluation.Result parallel =
        NabEvaluation.of(corpus, out.resolve("two"), 2).run(RunningZScoreDetector::new);
    assertThat(parallel).isEqualTo(serial);
  }

  @Test
  void constantDetectorScoresLikeTheNullDetector(@TempDir Path out) {
    NabEvaluation.Result result = NabEvaluation.of(corpus, out, 2).run(ConstantDetector::new);
    assertThat(result.scores()).allMatch(s -> s.normalisedScore() == 0.0 && s.threshold() == 1.1);
  }

  @Test
  void guardsAgainstFailingDetectors(@TempDir Path out) {
    NabEvaluation.Result result =
        NabEvaluation.of(corpus, out, 2)
            .run(
                () ->
                    new UnivariateDetector() {
                      @Override
                      public double scoreAndLearn(long epochMillis, double value) {
                        if (value > 1000) {
                          throw new IllegalStateException("boom");
                        }
                        return value < 0 ? Double.NaN : 2.0;
                      }

                      @Override
                      public String name() {
                        return "broken";
                      }
                    });
    assertThat(result.rejectedScores()).isEqualTo(365_558);
    assertThat(result.scores()).hasSize(3);
  }
}
