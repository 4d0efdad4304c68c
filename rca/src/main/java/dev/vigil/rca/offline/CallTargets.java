package dev.vigil.rca.offline;

import dev.vigil.features.PeerNames;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which service a CLIENT or PRODUCER span without children calls, learnt from the recording itself.
 * A call that reached its callee has the callee's server span below it; one that did not (the
 * callee refused it or was down, or it is an uninstrumented database or cache) has none, and only
 * the client span says where it went. It is resolved, in this order:
 *
 * <ol>
 *   <li>by its peer name ({@link PeerNames}), when client spans naming that peer reached one
 *       instrumented service elsewhere in the recording: that service, not reached;
 *   <li>for a CLIENT span, by its service and name, when client spans of that service and name
 *       reached exactly one other service elsewhere: that service, not reached;
 *   <li>by its peer name when an instrumented service has that name: that service, not reached;
 *   <li>by its peer name otherwise: an uninstrumented ("virtual") service of that name, seen only
 *       from its callers' client spans.
 * </ol>
 *
 * Otherwise it is not resolved. PRODUCER spans are resolved only as virtual services (a message
 * that no consumer span follows is normal for a broker). Nothing here depends on names. O(spans) to
 * learn.
 */
final class CallTargets {
  /** Where a call went. */
  record Target(String service, boolean virtual) {}

  static final CallTargets NONE = new CallTargets();

  private final Map<String, Map<String, Integer>> byPeer = new HashMap<>();
  private final Map<List<String>, Set<String>> byCall = new HashMap<>();
  private final Set<String> instrumented = new HashSet<>();

  private CallTargets() {}

  /**
   * Learns the targets from the client spans of all traces that have a child in another service.
   */
  static CallTargets learn(Collection<List<SpanRecord>> traces) {
    CallTargets t = new CallTargets();
    for (List<SpanRecord> trace : traces) {
      Map<String, SpanRecord> byId = new HashMap<>();
      for (SpanRecord s : trace) {
        byId.putIfAbsent(s.spanId(), s);
        t.instrumented.add(s.service());
      }
      for (SpanRecord child : byId.values()) {
        SpanRecord parent = child.isRoot() ? null : byId.get(child.parentSpanId());
        if (parent == null || !parent.kind().isExit() || parent.service().equals(child.service())) {
          continue;
        }
        String peer = PeerNames.of(parent);
        if (peer != null) {
          t.byPeer
              .computeIfAbsent(peer, k -> new HashMap<>())
              .merge(child.service(), 1, Integer::sum);
        }
        if (parent.kind() == SpanKind.CLIENT) {
          t.byCall
              .computeIfAbsent(List.of(parent.service(), parent.name()), k -> new HashSet<>())
              .add(child.service());
        }
      }
    }
    return t;
  }

  /** Where a CLIENT or PRODUCER span without children went, or null when nothing says. */
  Target resolve(SpanRecord s) {
    if (!s.kind().isExit()) {
      return null;
    }
    String peer = PeerNames.of(s);
    if (peer != null && peer.equals(s.service())) {
      peer = null;
    }
    boolean client = s.kind() == SpanKind.CLIENT;
    if (client) {
      String learnt = peer == null ? null : mostCommon(byPeer.get(peer));
      if (learnt != null && !learnt.equals(s.service())) {
        return new Target(learnt, false);
      }
      Set<String> callees = byCall.get(List.of(s.service(), s.name()));
      if (callees != null && callees.size() == 1) {
        String only = callees.iterator().next();
        return new Target(only, false);
      }
    }
    if (peer == null) {
      return null;
    }
    if (instrumented.contains(peer)) {
      return client ? new Target(peer, false) : null;
    }
    if (byPeer.containsKey(peer)) {
      return null;
    }
    return new Target(peer, true);
  }

  private static String mostCommon(Map<String, Integer> counts) {
    if (counts == null) {
      return null;
    }
    String best = null;
    int n = -1;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > n || (e.getValue() == n && e.getKey().compareTo(best) < 0)) {
        best = e.getKey();
        n = e.getValue();
      }
    }
    return best;
  }
}
