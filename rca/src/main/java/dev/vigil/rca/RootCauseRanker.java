package dev.vigil.rca;

import java.util.List;

/** Orders the services of an incident by how likely each is to be its cause. */
public interface RootCauseRanker {

  /** Candidates, most likely first; empty when there is nothing to rank. */
  List<RootCause> rank(IncidentEvidence incident);

  String name();

  /** The default ranker: own-change attribution along the call graph. */
  static RootCauseRanker ownChange() {
    return new OwnChangeRanker();
  }
}
