package dev.vigil.service.cli;

import dev.vigil.models.univariate.UnivariateDetectors;
import dev.vigil.trainingdata.nab.NabCorpus;
import dev.vigil.trainingdata.nab.NabEvaluation;
import dev.vigil.trainingdata.nab.NabScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code vigil evaluate nab|nezha ...}: measures Vigil on public labelled data.
 *
 * <p>{@code evaluate nab --data <NAB root> [--detector NAME] [--out DIR] [--parallelism N]} runs a
 * univariate detector in streaming mode over the 58 series of the Numenta Anomaly Benchmark (each
 * point scored before the detector learns it), writes NAB-format result files under {@code
 * <out>/<detector>/} and prints the normalised score for NAB's three profiles. Without {@code
 * --detector} it runs {@link UnivariateDetectors#DEFAULT}.
 */
public final class EvaluateCommand {
  static final String USAGE =
      "evaluate nab --data <NAB root> [--detector NAME] [--out DIR] [--parallelism N]"
          + " | evaluate nezha ...";

  private EvaluateCommand() {}

  public static int run(List<String> argv) throws Exception {
    if (argv.isEmpty()) {
      throw new UsageException("evaluate needs a benchmark: nab or nezha; usage: " + USAGE);
    }
    String benchmark = argv.get(0);
    List<String> rest = argv.subList(1, argv.size());
    return switch (benchmark) {
      case "nab" -> nab(rest);
      case "nezha" -> EvaluateNezhaCommand.run(rest);
      case "nlq" -> EvaluateNlqCommand.run(rest);
      default ->
          throw new UsageException(
              "unknown benchmark '"
                  + benchmark
                  + "' for 'vigil evaluate'; benchmarks: nab, nezha, nlq");
    };
  }

  static int nab(List<String> argv) throws UsageException {
    Args args =
        Args.parse(
            "evaluate nab", argv, Set.of(), Set.of("data", "detector", "out", "parallelism"));
    if (!args.positional().isEmpty()) {
      throw new UsageException("unexpected argument " + args.positional() + "; usage: " + USAGE);
    }
    Path data =
        Path.of(
            args.value("data")
                .orElseThrow(
                    () ->
                        new UsageException(
                            "evaluate nab needs --data <NAB root> (e.g. ../shared/datasets/nab)")));
    if (!Files.isDirectory(data.resolve("data")) || !Files.isDirectory(data.resolve("labels"))) {
      throw new UsageException(
          "--data " + data + " is not a NAB root: it must hold data/ and labels/ (and config/)");
    }
    Map<String, String> detectors = UnivariateDetectors.available();
    String detector = args.value("detector").orElse(UnivariateDetectors.DEFAULT);
    if (!detectors.containsKey(detector)) {
      throw new UsageException(
          "unknown detector '"
              + detector
              + "'; valid detectors: "
              + String.join(", ", detectors.keySet()));
    }
    Path out = Path.of(args.value("out").orElse("target/nab-results"));
    int parallelism = args.intValue("parallelism", NabEvaluation.DEFAULT_PARALLELISM, 1, 64);

    NabCorpus corpus = NabCorpus.load(data);
    long start = System.nanoTime();
    NabEvaluation.Result result =
        NabEvaluation.of(corpus, out, parallelism).run(UnivariateDetectors.factory(detector));
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = corpus.series().stream().mapToLong(s -> s.rows().size()).sum();
    System.out.printf(
        "NAB v1.1, detector %s (%s): %d series, %d rows in %.1f s (%.0f points/s)%n",
        detector, detectors.get(detector), corpus.series().size(), rows, seconds, rows / seconds);
    System.out.printf("%-20s %10s %10s%n", "profile", "score", "threshold");
    for (NabScore s : result.scores()) {
      System.out.printf("%-20s %10.3f %10.4f%n", s.profile(), s.normalisedScore(), s.threshold());
    }
    if (result.rejectedScores() > 0) {
      System.out.printf(
          "%d scores were rejected (threw, NaN or outside [0,1])%n", result.rejectedScores());
    }
    System.out.println("results: " + out.resolve(detector));
    return 0;
  }
}
