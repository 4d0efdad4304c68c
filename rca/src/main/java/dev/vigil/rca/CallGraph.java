package dev.vigil.rca;

import dev.vigil.features.EdgeFeatures;
import dev.vigil.features.WindowFeatures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * The directed service call graph (caller -> callee) accumulated from windowed edge features, with
 * the latest statistics of each edge. Backed by a JGraphT graph. Not thread-safe; {@link #copy()}
 * gives a snapshot to hand to another thread.
 */
public final class CallGraph {
  private final Graph<String, DefaultEdge> graph = new DefaultDirectedGraph<>(DefaultEdge.class);
  private final Map<List<String>, EdgeFeatures> latest = new HashMap<>();

  /** Adds the services and edges of a window. */
  public void update(WindowFeatures window) {
    window.services().keySet().forEach(graph::addVertex);
    for (EdgeFeatures e : window.edges()) {
      addEdge(e.caller(), e.callee());
      latest.put(List.of(e.caller(), e.callee()), e);
    }
  }

  public void addEdge(String caller, String callee) {
    if (caller.equals(callee)) {
      return;
    }
    graph.addVertex(caller);
    graph.addVertex(callee);
    graph.addEdge(caller, callee);
  }

  public Set<String> services() {
    return Collections.unmodifiableSet(new TreeSet<>(graph.vertexSet()));
  }

  /** Edges as [caller, callee] pairs, sorted. */
  public List<List<String>> edges() {
    List<List<String>> out = new ArrayList<>();
    for (DefaultEdge e : graph.edgeSet()) {
      out.add(List.of(graph.getEdgeSource(e), graph.getEdgeTarget(e)));
    }
    out.sort((a, b) -> (a.get(0) + "\u0000" + a.get(1)).compareTo(b.get(0) + "\u0000" + b.get(1)));
    return out;
  }

  public List<String> callers(String service) {
    return graph.containsVertex(service) ? Graphs.predecessorListOf(graph, service) : List.of();
  }

  public List<String> callees(String service) {
    return graph.containsVertex(service) ? Graphs.successorListOf(graph, service) : List.of();
  }

  /** Services that (transitively) call this one. */
  public Set<String> ancestors(String service) {
    return reach(service, this::callers);
  }

  /** Services this one (transitively) calls. */
  public Set<String> descendants(String service) {
    return reach(service, this::callees);
  }

  /** The latest statistics of an edge, or null. */
  public EdgeFeatures edge(String caller, String callee) {
    return latest.get(List.of(caller, callee));
  }

  /**
   * The shortest chain of callers from {@code service} up to the farthest caller that satisfies
   * {@code through}, e.g. the path along which an anomaly propagated to the entry service. The
   * chain starts with {@code service}.
   */
  public List<String> pathUp(String service, Predicate<String> through) {
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(service));
    Set<String> seen = new LinkedHashSet<>(List.of(service));
    String last = service;
    while (!queue.isEmpty()) {
      String s = queue.poll();
      last = s;
      for (String c : callers(s)) {
        if (through.test(c) && seen.add(c)) {
          parent.put(c, s);
          queue.add(c);
        }
      }
    }
    List<String> path = new ArrayList<>();
    for (String s = last; s != null; s = parent.get(s)) {
      path.add(s);
    }
    Collections.reverse(path);
    return path;
  }

  public CallGraph copy() {
    CallGraph c = new CallGraph();
    graph.vertexSet().forEach(c.graph::addVertex);
    for (List<String> e : edges()) {
      c.addEdge(e.get(0), e.get(1));
    }
    c.latest.putAll(latest);
    return c;
  }

  private Set<String> reach(String start, java.util.function.Function<String, List<String>> next) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(next.apply(start));
    while (!queue.isEmpty()) {
      String s = queue.poll();
      if (!s.equals(start) && seen.add(s)) {
        queue.addAll(next.apply(s));
      }
    }
    return seen;
  }
}
