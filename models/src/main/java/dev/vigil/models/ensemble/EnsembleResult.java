package dev.vigil.models.ensemble;

import java.util.List;

/**
 * An ensemble's verdict on one point.
 *
 * @param score the largest calibrated member score (z-scale)
 * @param alarm whether it reached the alarm threshold
 * @param contributions every member's calibrated score, highest first
 * @param features the features the alarming members blame, most blamed first; empty when normal
 */
public record EnsembleResult(
    double score, boolean alarm, List<Contribution> contributions, List<String> features) {

  public EnsembleResult {
    contributions = List.copyOf(contributions);
    features = List.copyOf(features);
  }

  /** The names of the members whose calibrated score reached the threshold. */
  public List<String> alarmingDetectors(double threshold) {
    return contributions.stream()
        .filter(c -> c.calibratedScore() >= threshold)
        .map(Contribution::detector)
        .toList();
  }

  /**
   * One member's part.
   *
   * @param detector the member's name
   * @param rawScore its raw score
   * @param calibratedScore the score on the common z-scale
   */
  public record Contribution(String detector, double rawScore, double calibratedScore) {}
}
