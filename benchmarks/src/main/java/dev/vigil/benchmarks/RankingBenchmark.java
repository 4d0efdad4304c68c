package dev.vigil.benchmarks;

import dev.vigil.rca.offline.AnalysisConfig;
import dev.vigil.rca.offline.IncidentData;
import dev.vigil.rca.offline.IncidentRanker;
import dev.vigil.rca.offline.RankedCause;
import dev.vigil.rca.offline.SeriesExtractor;
import dev.vigil.rca.offline.TelemetryIndex;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.trainingdata.synthetic.SyntheticIncident;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ranking one incident of a large system: a synthetic call tree of {@code services} services (900
 * traces through all of them, a CPU gauge per service, one log line per span and an error line per
 * request of the faulty service from the fault on), the faulty one in the middle. One operation
 * scores every series at the incident time, builds the causal graph and runs the default ensemble
 * with its evidence (what the live engine and {@code analyze} do per incident); the extraction of
 * the series from the telemetry (once per recording) is timed apart in the set-up and printed.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat /tmp/benchcp.txt) org.openjdk.jmh.Main RankingBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class RankingBenchmark {
  @Param({"200"})
  public int services;

  @Param({"true"})
  public boolean logs;

  private TelemetryIndex index;
  private AnalysisConfig config;
  private IncidentRanker ranker;
  private Instant time;

  @Setup(Level.Trial)
  public void setUp() {
    SyntheticIncident incident = new SyntheticIncident(services, services / 2, 50, true, logs);
    List<TelemetryBatch> batches = incident.batches();
    config = AnalysisConfig.defaults();
    ranker = IncidentRanker.defaults();
    time = SyntheticIncident.faultTime();
    long start = System.nanoTime();
    index = SeriesExtractor.extract(batches, config.bin());
    long extraction = System.nanoTime() - start;
    List<RankedCause> ranked = rank();
    System.out.printf(
        Locale.ROOT,
        "%nservices %d, spans %d, log lines %d, series %d; extraction %.0f ms; top cause %s"
            + " (truth %s)%n",
        services,
        batches.get(0).spans().size(),
        batches.get(0).logs().size(),
        index.series().size(),
        extraction / 1e6,
        ranked.isEmpty() ? "none" : ranked.get(0).service(),
        SyntheticIncident.name(services / 2));
  }

  @Benchmark
  public List<RankedCause> rank() {
    return ranker.rank(IncidentData.of(index, time, config));
  }
}
