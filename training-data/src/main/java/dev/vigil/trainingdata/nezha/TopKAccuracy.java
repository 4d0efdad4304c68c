package dev.vigil.trainingdata.nezha;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Top-k accuracy of root-cause rankings as RCAEval defines it: AC@k is the share of cases whose
 * true root cause is among the first k ranked services (after cutting instance names to services
 * and dropping duplicates, keeping the first), and Avg@5 is the mean of AC@1 to AC@5.
 */
public final class TopKAccuracy {
  public static final int MAX_K = 5;

  private TopKAccuracy() {}

  /** One case: its group (fault type), true service and ranked services. */
  public record Outcome(String group, String truth, List<String> ranked) {
    public Outcome {
      ranked = List.copyOf(new LinkedHashSet<>(ranked));
    }

    /** 1-based rank of the truth, or 0 when it is not ranked. */
    public int rank() {
      return ranked.indexOf(truth) + 1;
    }
  }

  /**
   * AC@1..AC@5 and Avg@5 of a set of cases.
   *
   * @param cases how many cases
   * @param acAtK index k-1 holds AC@k
   */
  public record Score(int cases, double[] acAtK) {
    public Score {
      acAtK = acAtK.clone();
    }

    public double ac(int k) {
      return acAtK[k - 1];
    }

    public double avgAt5() {
      double s = 0;
      for (double v : acAtK) {
        s += v;
      }
      return s / acAtK.length;
    }
  }

  public static Score score(List<Outcome> outcomes) {
    double[] ac = new double[MAX_K];
    for (Outcome o : outcomes) {
      int r = o.rank();
      for (int k = 1; k <= MAX_K; k++) {
        if (r >= 1 && r <= k) {
          ac[k - 1]++;
        }
      }
    }
    for (int k = 0; k < MAX_K; k++) {
      ac[k] = outcomes.isEmpty() ? 0 : ac[k] / outcomes.size();
    }
    return new Score(outcomes.size(), ac);
  }

  /** The score of every group, in name order. */
  public static Map<String, Score> byGroup(List<Outcome> outcomes) {
    return by(outcomes, Outcome::group);
  }

  private static Map<String, Score> by(List<Outcome> outcomes, Function<Outcome, String> key) {
    Map<String, List<Outcome>> groups = new TreeMap<>();
    for (Outcome o : outcomes) {
      groups.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o);
    }
    Map<String, Score> out = new TreeMap<>();
    groups.forEach((g, list) -> out.put(g, score(list)));
    return out;
  }
}
