package dev.vigil.rca.offline;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of an offline analysis.
 *
 * @param incidentTime when the incident started (given, or located)
 * @param located whether the time was located from the data rather than given
 * @param services how many services the recording has
 * @param series how many series were scored
 * @param rootCauses ranked causes, most likely first
 */
public record AnalysisResult(
    Instant incidentTime, boolean located, int services, int series, List<RankedCause> rootCauses) {

  public AnalysisResult {
    rootCauses = List.copyOf(rootCauses);
  }
}
