package dev.vigil.models.ensemble;

import dev.vigil.models.Detector;
import dev.vigil.models.DetectorResult;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Combines streaming detectors over one feature vector: each member's raw score is calibrated to a
 * common z-scale by its own {@link ScoreCalibrator}; the ensemble score is the largest calibrated
 * score and alarms at {@code alarmThreshold} (3 by default, Merlion's {@code alm_threshold}). Each
 * result names the members that alarmed and the features they blame, summing the alarming members'
 * attributions. Costs the sum of its members. Not thread-safe.
 */
public final class EnsembleDetector implements Detector {
  private final FeatureSchema schema;
  private final List<Detector> members;
  private final List<ScoreCalibrator> calibrators = new ArrayList<>();
  private final double alarmThreshold;

  /**
   * @param schema the features of the points, to name them in results
   * @param members the detectors, each fresh and used by this ensemble only
   * @param alarmThreshold calibrated score at which the ensemble alarms
   */
  public EnsembleDetector(FeatureSchema schema, List<Detector> members, double alarmThreshold) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("members must not be empty");
    }
    if (!(alarmThreshold > 0)) {
      throw new IllegalArgumentException("alarmThreshold must be greater than 0");
    }
    this.schema = schema;
    this.members = List.copyOf(members);
    this.alarmThreshold = alarmThreshold;
    members.forEach(m -> calibrators.add(new ScoreCalibrator()));
  }

  /** Scores the point with every member, then lets each learn it. */
  public EnsembleResult observe(FeatureVector point) {
    List<EnsembleResult.Contribution> contributions = new ArrayList<>();
    double[] blame = new double[schema.dimensions()];
    double best = 0;
    for (int i = 0; i < members.size(); i++) {
      DetectorResult r = members.get(i).scoreAndLearn(point);
      double z = r.ready() ? calibrators.get(i).calibrate(r.score()) : 0;
      contributions.add(new EnsembleResult.Contribution(members.get(i).name(), r.score(), z));
      best = Math.max(best, z);
      double[] a = r.attribution();
      if (z >= alarmThreshold && a.length == blame.length) {
        for (int k = 0; k < a.length; k++) {
          blame[k] += a[k];
        }
      }
    }
    contributions.sort(
        Comparator.comparingDouble(EnsembleResult.Contribution::calibratedScore).reversed());
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < blame.length; k++) {
      if (blame[k] > 0) {
        order.add(k);
      }
    }
    order.sort(Comparator.comparingDouble((Integer k) -> -blame[k]));
    List<String> features = order.stream().map(k -> schema.features().get(k)).toList();
    return new EnsembleResult(best, best >= alarmThreshold, contributions, features);
  }

  @Override
  public DetectorResult scoreAndLearn(FeatureVector point) {
    EnsembleResult r = observe(point);
    double grade = r.alarm() ? Math.min(1, r.score() / (2 * alarmThreshold)) : 0;
    return new DetectorResult(r.score(), grade, new double[0], true);
  }

  @Override
  public String name() {
    return "ensemble";
  }
}
