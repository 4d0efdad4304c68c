package dev.vigil.rca.offline;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times the ranking of a synthetic 200-service incident (a call tree, 900 traces of 200 spans and a
 * CPU gauge per service): scoring every series at the incident time, building the causal graph and
 * running the default ensemble with evidence. The extraction of series from the telemetry is timed
 * apart. Not a test (no timing assertions in tests); run with {@code mvn -pl rca test-compile} and
 * {@code java -cp rca/target/test-classes:rca/target/classes:<deps>
 * dev.vigil.rca.offline.RankingBenchmark}. Belongs in a JMH benchmarks module once there is one.
 */
public final class RankingBenchmark {
  private RankingBenchmark() {}

  public static void main(String[] args) {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    SyntheticIncident incident = new SyntheticIncident(services, services / 2, 50, true);
    var batches = incident.batches();
    AnalysisConfig config = AnalysisConfig.defaults();
    Instant t = SyntheticIncident.faultTime();
    long e0 = System.nanoTime();
    TelemetryIndex index = SeriesExtractor.extract(batches, config.bin());
    long extractNanos = System.nanoTime() - e0;
    IncidentRanker ranker = IncidentRanker.defaults();
    double[] millis = new double[runs];
    String top = "";
    for (int i = -10; i < runs; i++) {
      long s = System.nanoTime();
      IncidentData data = IncidentData.of(index, t, config);
      var ranked = ranker.rank(data);
      long d = System.nanoTime() - s;
      if (i >= 0) {
        millis[i] = d / 1e6;
      }
      top = ranked.get(0).service();
    }
    Arrays.sort(millis);
    System.out.printf(
        Locale.ROOT,
        "services %d, spans %d, series %d, extraction %.0f ms; ranking median %.1f ms, p90 %.1f ms,"
            + " max %.1f ms (%d runs); top cause %s (truth %s)%n",
        services,
        batches.get(0).spans().size(),
        index.series().size(),
        extractNanos / 1e6,
        millis[runs / 2],
        millis[(int) (runs * 0.9)],
        millis[runs - 1],
        runs,
        top,
        SyntheticIncident.name(services / 2));
  }
}
