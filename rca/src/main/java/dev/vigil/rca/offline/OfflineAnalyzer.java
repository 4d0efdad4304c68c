package dev.vigil.rca.offline;

import dev.vigil.telemetry.TelemetryBatch;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Analyses a recorded incident: extracts series and graphs from the telemetry, locates the incident
 * unless its time is given, scores every series and ranks the services. Stateless and thread-safe.
 */
public final class OfflineAnalyzer {
  private final AnalysisConfig config;
  private final IncidentRanker ranker;

  public OfflineAnalyzer(AnalysisConfig config, IncidentRanker ranker) {
    this.config = config;
    this.ranker = ranker;
  }

  /** The default configuration and the default ensemble. */
  public static OfflineAnalyzer defaults() {
    return new OfflineAnalyzer(AnalysisConfig.defaults(), IncidentRanker.defaults());
  }

  /**
   * @throws IllegalArgumentException when the telemetry has no spans and no metric points
   */
  public AnalysisResult analyze(
      Collection<TelemetryBatch> batches, Optional<Instant> incidentTime) {
    TelemetryIndex index = SeriesExtractor.extract(batches, config.bin());
    if (index.series().isEmpty()) {
      throw new IllegalArgumentException("the input has no spans and no metric points to analyse");
    }
    Instant time = incidentTime.orElseGet(() -> IncidentLocator.locate(index, config));
    IncidentData data = IncidentData.of(index, time, config);
    return new AnalysisResult(
        time,
        incidentTime.isEmpty(),
        index.services().size(),
        index.series().size(),
        ranker.rank(data));
  }

  /** Ranks an already extracted recording (for benchmarks and other rankers). */
  public IncidentData prepare(Collection<TelemetryBatch> batches, Instant incidentTime) {
    return IncidentData.of(SeriesExtractor.extract(batches, config.bin()), incidentTime, config);
  }
}
