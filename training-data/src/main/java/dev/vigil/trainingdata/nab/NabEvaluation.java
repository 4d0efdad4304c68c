package dev.vigil.trainingdata.nab;

import dev.vigil.models.UnivariateDetector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs a streaming detector over the NAB corpus the way NAB evaluates a new detector: a fresh
 * detector per file fed every row in order, results written in NAB's format to {@code
 * <out>/<detector>/<category>/<detector>_<name>.csv} (columns {@code
 * timestamp,value,anomaly_score}), then the threshold optimised per profile on the whole corpus and
 * the normalised score reported.
 *
 * <p>Files run in parallel on a fixed pool; each file's scores depend only on that file, so the
 * result does not depend on the parallelism. Detector calls are guarded: a call that throws, or
 * returns NaN, yields score 0; a score outside {@code [0, 1]} is clamped. Such calls are counted in
 * {@link Result#rejectedScores()} and logged, and never stop the run.
 */
public final class NabEvaluation {

  /** The default number of files scored at once. */
  public static final int DEFAULT_PARALLELISM = 2;

  private static final System.Logger LOG = System.getLogger(NabEvaluation.class.getName());
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final NabCorpus corpus;
  private final Path outputDirectory;
  private final int parallelism;

  private NabEvaluation(NabCorpus corpus, Path outputDirectory, int parallelism) {
    this.corpus = corpus;
    this.outputDirectory = outputDirectory;
    this.parallelism = parallelism;
  }

  /**
   * An evaluation of {@code corpus} writing under {@code outputDirectory}.
   *
   * @param parallelism the number of files scored at once, at least 1
   */
  public static NabEvaluation of(NabCorpus corpus, Path outputDirectory, int parallelism) {
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    return new NabEvaluation(corpus, outputDirectory, parallelism);
  }

  /**
   * The outcome of one evaluation.
   *
   * @param detector the detector's name
   * @param scores the optimised score per profile, in the corpus's profile order
   * @param rejectedScores detector calls that threw, returned NaN or left {@code [0, 1]}
   */
  public record Result(String detector, List<NabScore> scores, long rejectedScores) {

    /** Copies the score list. */
    public Result {
      scores = List.copyOf(scores);
    }

    /** The score under the named profile, e.g. {@code standard}. */
    public NabScore score(String profile) {
      return scores.stream()
          .filter(s -> s.profile().equals(profile))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no profile " + profile));
    }
  }

  /**
   * Scores every series with a fresh detector from {@code detectors}, writes the result files and
   * optimises the threshold per profile.
   *
   * @throws IllegalArgumentException if the detector's name is not usable in a file name
   * @throws UncheckedIOException if a result file cannot be written
   */
  public Result run(Supplier<? extends UnivariateDetector> detectors) {
    String name = detectors.get().name();
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("detector name must match " + SAFE_NAME + ": " + name);
    }
    List<FileRun> runs = scoreAll(detectors, name);
    Map<String, double[]> scores = new LinkedHashMap<>();
    long rejected = 0;
    for (int f = 0; f < runs.size(); f++) {
      scores.put(corpus.series().get(f).relativePath(), runs.get(f).scores());
      rejected += runs.get(f).rejected();
    }
    if (rejected > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: {1} scores rejected (threw, NaN or outside [0,1])",
          name,
          rejected);
    }
    List<NabScore> results = new ArrayList<>();
    for (NabProfile profile : corpus.profiles()) {
      results.add(NabScorer.of(corpus, profile).optimise(scores));
    }
    return new Result(name, results, rejected);
  }

  private record FileRun(double[] scores, long rejected) {}

  private List<FileRun> scoreAll(Supplier<? extends UnivariateDetector> detectors, String name) {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<FileRun>> futures = new ArrayList<>();
      for (NabSeries series : corpus.series()) {
        futures.add(pool.submit(() -> scoreFile(series, detectors.get(), name)));
      }
      List<FileRun> runs = new ArrayList<>();
      for (Future<FileRun> future : futures) {
        runs.add(future.get());
      }
      return runs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("NAB evaluation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io;
      }
      throw new IllegalStateException("NAB evaluation failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private FileRun scoreFile(NabSeries series, UnivariateDetector detector, String name) {
    List<NabRow> rows = series.rows();
    double[] scores = new double[rows.size()];
    long rejected = 0;
    for (int i = 0; i < scores.length; i++) {
      NabRow row = rows.get(i);
      double score = Double.NaN;
      try {
        score =
            detector.scoreAndLearn(
                row.timestamp().toInstant(ZoneOffset.UTC).toEpochMilli(), row.value());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "detector failed on " + series.relativePath(), e);
      }
      if (Double.isNaN(score) || score < 0 || score > 1) {
        rejected++;
        score = Double.isNaN(score) ? 0 : Math.min(1, Math.max(0, score));
      }
      scores[i] = score;
    }
    if (rejected > 0) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: {1} of {2} scores rejected (threw, NaN or outside [0,1])",
          series.relativePath(),
          rejected,
          scores.length);
    }
    write(series, scores, name);
    return new FileRun(scores, rejected);
  }

  private void write(NabSeries series, double[] scores, String name) {
    Path file =
        outputDirectory
            .resolve(name)
            .resolve(series.category())
            .resolve(name + "_" + series.name() + ".csv");
    try {
      Files.createDirectories(file.getParent());
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        out.write("timestamp,value,anomaly_score\n");
        for (int i = 0; i < scores.length; i++) {
          NabRow row = series.rows().get(i);
          out.write(NabCsv.FORMATTER.format(row.timestamp()));
          out.write(',');
          out.write(NabCsv.formatValue(row.value()));
          out.write(',');
          out.write(Double.toString(scores[i]));
          out.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
