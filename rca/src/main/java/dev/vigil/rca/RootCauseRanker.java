package dev.vigil.rca;

import dev.vigil.rca.offline.AnalysisConfig;
import dev.vigil.rca.offline.IncidentRanker;
import java.util.List;

/** Orders the services of an incident by how likely each is to be its cause. */
public interface RootCauseRanker {

  /** Candidates, most likely first; empty when there is nothing to rank. */
  List<RootCause> rank(IncidentEvidence incident);

  String name();

  /**
   * The default ranker: the engine {@code vigil analyze} and {@code vigil evaluate} run (the
   * default {@link IncidentRanker} ensemble and its evidence) over the incident's windows.
   */
  static RootCauseRanker engine() {
    return engine(IncidentRanker.defaults());
  }

  /** The given offline ranker over the incident's windows, as {@link #engine()} does. */
  static RootCauseRanker engine(IncidentRanker ranker) {
    return new EngineRanker(ranker, AnalysisConfig.defaults());
  }
}
