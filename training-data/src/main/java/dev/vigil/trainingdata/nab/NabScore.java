package dev.vigil.trainingdata.nab;

/**
 * A detector's NAB score on the whole corpus under one profile.
 *
 * @param profile the profile name, e.g. {@code standard}
 * @param threshold the anomaly-score threshold; rows scoring at or above it are detections
 * @param rawScore the sum of the per-file raw scores at {@code threshold}
 * @param normalisedScore {@code 100 * (raw - null) / (perfect - null)}: 0 for a detector that
 *     detects nothing, 100 for one that detects every window at its left edge and nothing else
 */
public record NabScore(String profile, double threshold, double rawScore, double normalisedScore) {}
