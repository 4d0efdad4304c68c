package dev.vigil.rca.offline;

import dev.vigil.rca.offline.CausalGraph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Personalized PageRank on the anomaly-weighted causal graph, after MicroRCA (Wu et al., "MicroRCA:
 * Root Cause Localization of Performance Issues in Microservices", NOMS 2020).
 *
 * <p>A random walker starts at vertices in proportion to their anomaly and, from a vertex, moves
 * against the direction of propagation: to one of its causes (callees, resources) in proportion to
 * their anomaly, stays with weight its own anomaly, or steps back to an effect with a small weight
 * ({@link #BACKWARD_WEIGHT}) so that it cannot be trapped in a quiet part of the graph. With
 * probability {@code 1 - damping} it restarts. The stationary visit probability ranks the vertices;
 * a service scores its own vertex plus its resources'. Power iteration: O(iterations x (V + E)).
 */
final class PersonalizedPageRankRanker implements IncidentRanker {
  static final double DEFAULT_DAMPING = 0.85;
  static final int DEFAULT_ITERATIONS = 100;
  static final double BACKWARD_WEIGHT = 0.1;

  /** Added to every anomaly so that quiet vertices stay reachable. */
  private static final double EPSILON = 1e-3;

  private static final double TOLERANCE = 1e-10;

  private final double damping;
  private final int iterations;

  PersonalizedPageRankRanker(double damping, int iterations) {
    if (!(damping > 0 && damping < 1)) {
      throw new IllegalArgumentException("damping must be in (0, 1)");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be at least 1");
    }
    this.damping = damping;
    this.iterations = iterations;
  }

  @Override
  public String name() {
    return "personalized_pagerank";
  }

  @Override
  public Map<String, Double> scores(IncidentData incident) {
    CausalGraph g = incident.graph();
    List<Node> nodes = new ArrayList<>(g.nodes());
    int n = nodes.size();
    if (n == 0) {
      return Map.of();
    }
    Map<Node, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(nodes.get(i), i);
    }
    double max = nodes.stream().mapToDouble(g::anomaly).max().orElse(0);
    double[] weight = new double[n];
    for (int i = 0; i < n; i++) {
      weight[i] = (max > 0 ? g.anomaly(nodes.get(i)) / max : 0) + EPSILON;
    }
    double[] restart = normalised(weight.clone());
    int[][] targets = new int[n][];
    double[][] probabilities = new double[n][];
    for (int i = 0; i < n; i++) {
      Node u = nodes.get(i);
      List<Node> causes = g.causes(u);
      List<Node> effects = g.effects(u);
      int[] t = new int[causes.size() + effects.size() + 1];
      double[] p = new double[t.length];
      int k = 0;
      for (Node v : causes) {
        int j = index.get(v);
        t[k] = j;
        p[k++] = weight[j];
      }
      for (Node v : effects) {
        int j = index.get(v);
        t[k] = j;
        p[k++] = BACKWARD_WEIGHT * weight[j];
      }
      t[k] = i;
      p[k] = weight[i];
      targets[i] = t;
      probabilities[i] = normalised(p);
    }
    double[] rank = restart.clone();
    for (int it = 0; it < iterations; it++) {
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        next[i] += (1 - damping) * restart[i];
        for (int k = 0; k < targets[i].length; k++) {
          next[targets[i][k]] += damping * rank[i] * probabilities[i][k];
        }
      }
      double delta = 0;
      for (int i = 0; i < n; i++) {
        delta += Math.abs(next[i] - rank[i]);
      }
      rank = next;
      if (delta < TOLERANCE) {
        break;
      }
    }
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      out.merge(nodes.get(i).service(), rank[i], Double::sum);
    }
    return out;
  }

  private static double[] normalised(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= sum;
    }
    return v;
  }
}
