package dev.vigil.rca.offline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;

/**
 * The anomaly-weighted causal graph of an incident. Vertices are services and each service's
 * resources (its metrics); edges point from cause to effect: from a callee to its caller (a slow or
 * failing callee makes its caller slow or fail) and from a service's resources to the service. Only
 * the candidate services ({@link IncidentData#candidates()}) are vertices. Every vertex carries its
 * anomaly: its own series (self time, own errors, call gap for a service; metrics for its
 * resources) combined as {@link RobustChangeRanker#combine} does. Backed by JGraphT.
 */
public final class CausalGraph {
  private final Graph<Node, DefaultWeightedEdge> graph =
      new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
  private final Map<Node, Double> anomaly = new HashMap<>();
  private final Map<Node, SeriesChange> strongest = new HashMap<>();
  private final Map<Node, List<SeriesChange>> changesByNode = new HashMap<>();

  /** A vertex: a service, or the resources of a service. */
  public record Node(String service, boolean resource) {
    @Override
    public String toString() {
      return resource ? "resources of " + service : service;
    }
  }

  private CausalGraph() {}

  static CausalGraph of(TelemetryIndex index, Set<String> candidates, List<SeriesChange> changes) {
    CausalGraph g = new CausalGraph();
    for (String s : candidates) {
      g.add(new Node(s, false));
    }
    for (CallEdge e : index.callEdges()) {
      if (!e.caller().equals(e.callee())) {
        Node callee = g.add(new Node(e.callee(), false));
        Node caller = g.add(new Node(e.caller(), false));
        g.graph.addEdge(callee, caller);
      }
    }
    for (SeriesChange c : changes) {
      SeriesKey k = c.key();
      if (!k.kind().own() || !candidates.contains(k.service())) {
        continue;
      }
      Node n = new Node(k.service(), k.kind() == SeriesKind.RESOURCE);
      if (n.resource() && !g.graph.containsVertex(n)) {
        g.add(n);
        g.graph.addEdge(n, g.add(new Node(k.service(), false)));
      }
      g.changesByNode.computeIfAbsent(n, x -> new ArrayList<>()).add(c);
      SeriesChange best = g.strongest.get(n);
      if (best == null || c.score() > best.score()) {
        g.strongest.put(n, c);
      }
    }
    g.changesByNode.forEach((n, list) -> g.anomaly.put(n, RobustChangeRanker.combine(list)));
    g.changesByNode.clear();
    return g;
  }

  private Node add(Node n) {
    graph.addVertex(n);
    return n;
  }

  public Set<Node> nodes() {
    return graph.vertexSet();
  }

  public Set<String> services() {
    Set<String> out = new TreeSet<>();
    graph.vertexSet().forEach(n -> out.add(n.service()));
    return out;
  }

  /** The direct causes of a vertex: a service's callees and its resources. */
  public List<Node> causes(Node n) {
    return graph.containsVertex(n) ? Graphs.predecessorListOf(graph, n) : List.of();
  }

  /** The direct effects of a vertex: a service's callers, or the service of a resource. */
  public List<Node> effects(Node n) {
    return graph.containsVertex(n) ? Graphs.successorListOf(graph, n) : List.of();
  }

  public List<String> callers(String service) {
    List<String> out = new ArrayList<>();
    effects(new Node(service, false)).forEach(n -> out.add(n.service()));
    return out;
  }

  public List<String> callees(String service) {
    List<String> out = new ArrayList<>();
    for (Node n : causes(new Node(service, false))) {
      if (!n.resource()) {
        out.add(n.service());
      }
    }
    return out;
  }

  /** The anomaly of a vertex (see the class comment), 0 when nothing of its own changed. */
  public double anomaly(Node n) {
    return anomaly.getOrDefault(n, 0.0);
  }

  /** The change behind {@link #anomaly(Node)}, or null. */
  public SeriesChange strongestChange(Node n) {
    return strongest.get(n);
  }

  /** Services that no traced service calls but that call others: where symptoms surface. */
  public List<String> entryServices() {
    List<String> out = new ArrayList<>();
    for (Node n : graph.vertexSet()) {
      if (!n.resource() && callers(n.service()).isEmpty() && !callees(n.service()).isEmpty()) {
        out.add(n.service());
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /**
   * How a fault in {@code service} reaches an entry service: the service first, then at each step
   * the most anomalous caller not yet visited. O(path x degree).
   */
  public List<String> pathToSymptom(String service) {
    List<String> path = new ArrayList<>(List.of(service));
    Set<String> seen = new HashSet<>(path);
    String current = service;
    while (true) {
      String next = null;
      double best = -1;
      for (String c : callers(current)) {
        double a = anomaly(new Node(c, false));
        if (!seen.contains(c) && (a > best || (a == best && c.compareTo(next) < 0))) {
          best = a;
          next = c;
        }
      }
      if (next == null) {
        return path;
      }
      path.add(next);
      seen.add(next);
      current = next;
    }
  }
}
