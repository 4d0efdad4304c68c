package dev.vigil.rca.offline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the change of a call gap belongs to the callee. A delay on the callee's side (its
 * network, its accept queue) is added to the calls of every caller, so the gaps of its other
 * callers grow by about as much; a gap that grows for one caller while the others' stay put belongs
 * to that connection (the caller's side of it, the path between the two, or how the caller's span
 * measures the call), not to the callee. So each call gap's calibrated score is multiplied by its
 * agreement: the largest growth of another caller's gap into the same service (after minus before,
 * in the series' unit: a delay adds the same time to every connection) over its own growth, clamped
 * to [0, 1]. A gap with no other caller observed in both windows keeps its score: there is nothing
 * to compare it with. O(changes).
 */
final class CallGapAgreement {
  private CallGapAgreement() {}

  /** The changes with every call gap's score multiplied by its {@link #agreement}. */
  static List<SeriesChange> apply(List<SeriesChange> changes) {
    Map<String, List<SeriesChange>> gapsByCallee = new HashMap<>();
    for (SeriesChange c : changes) {
      if (c.key().kind() == SeriesKind.CALL_GAP) {
        gapsByCallee.computeIfAbsent(c.key().service(), k -> new ArrayList<>()).add(c);
      }
    }
    if (gapsByCallee.isEmpty()) {
      return changes;
    }
    List<SeriesChange> out = new ArrayList<>(changes.size());
    for (SeriesChange c : changes) {
      double a =
          c.key().kind() == SeriesKind.CALL_GAP
              ? agreement(c, gapsByCallee.get(c.key().service()))
              : 1;
      out.add(
          a < 1
              ? new SeriesChange(
                  c.series(), c.before(), c.after(), c.spread(), c.rawScore(), c.score() * a)
              : c);
    }
    return out;
  }

  /**
   * How far the other callers' gaps into the same service grew along with {@code gap}: the largest
   * of their growths over its own, in [0, 1]; 1 when it did not grow or no other caller was
   * observed in both windows.
   *
   * @param gaps the call gaps into the service, {@code gap} among them
   */
  static double agreement(SeriesChange gap, List<SeriesChange> gaps) {
    double growth = gap.after() - gap.before();
    if (!(growth > 0)) {
      return 1;
    }
    double others = Double.NEGATIVE_INFINITY;
    for (SeriesChange o : gaps) {
      double g = o.after() - o.before();
      if (o != gap && Double.isFinite(g)) {
        others = Math.max(others, g);
      }
    }
    if (others == Double.NEGATIVE_INFINITY) {
      return 1;
    }
    return Math.max(0, Math.min(1, others / growth));
  }
}
