package dev.vigil.models.retrain;

import dev.vigil.models.registry.RegisteredModel;
import java.util.List;
import java.util.Optional;

/**
 * What retraining one service came to.
 *
 * @param service the service
 * @param windows windows of history it had
 * @param candidates the candidates' evaluations, best first; empty when it was not retrained
 * @param inUse the evaluation of the model in use on the same data, if there was one that loaded
 * @param promote the model to promote, if a candidate won
 * @param reason why it was or was not promoted, with the figures
 */
public record RetrainOutcome(
    String service,
    int windows,
    List<Evaluation> candidates,
    Optional<Evaluation> inUse,
    Optional<RegisteredModel> promote,
    String reason) {
  public RetrainOutcome {
    candidates = List.copyOf(candidates);
  }
}
