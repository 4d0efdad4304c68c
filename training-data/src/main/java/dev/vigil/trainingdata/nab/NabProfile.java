package dev.vigil.trainingdata.nab;

import java.util.Objects;

/**
 * A NAB application profile: the cost matrix of {@code config/profiles.json}. NAB's {@code
 * tnWeight} is never read by the scorer and is therefore left out.
 *
 * @param name the profile name, e.g. {@code standard}
 * @param tpWeight the reward for detecting a window at its left edge
 * @param fpWeight the cost of a false positive far from any window
 * @param fnWeight the cost of a missed window
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

  /** NAB's {@code standard} profile. */
  public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);

  /** NAB's {@code reward_low_FP_rate} profile. */
  public static final NabProfile REWARD_LOW_FP_RATE =
      new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);

  /** NAB's {@code reward_low_FN_rate} profile. */
  public static final NabProfile REWARD_LOW_FN_RATE =
      new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

  /** Checks the name and that all weights are finite and positive. */
  public NabProfile {
    Objects.requireNonNull(name, "name");
    checkWeight("tpWeight", tpWeight);
    checkWeight("fpWeight", fpWeight);
    checkWeight("fnWeight", fnWeight);
  }

  private static void checkWeight(String parameter, double weight) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(parameter + " must be finite and > 0, was " + weight);
    }
  }
}
