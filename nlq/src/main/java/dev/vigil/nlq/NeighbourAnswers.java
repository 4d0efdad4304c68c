package dev.vigil.nlq;

import static dev.vigil.nlq.IncidentSentences.incidentFact;

import dev.vigil.nlq.ToolResults.Edge;
import dev.vigil.nlq.ToolResults.Neighbours;
import dev.vigil.rca.Incident;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Answers to "who calls X, what does X call": call-graph neighbours with their calls, and the
 * incidents that involve them.
 */
final class NeighbourAnswers {
  private NeighbourAnswers() {}

  static void neighbours(Question q, TelemetryTools tools, Reply r) {
    List<String> subjects = q.service() != null ? q.services() : tools.entryServices();
    for (String s : subjects) {
      Neighbours n = tools.neighbours(s, q.range());
      n.callers().forEach(e -> r.fact(e.fact()));
      n.callees().forEach(e -> r.fact(e.fact()));
      boolean wantCallees =
          q.text()
              .toLowerCase(Locale.ROOT)
              .matches(".*(callee|downstream|depends|dependenc|下游|依赖).*");
      List<Edge> edges = wantCallees ? n.callees() : n.callers();
      String role = wantCallees ? "calls" : "is called by";
      if (edges.isEmpty()) {
        r.say(
            s
                + (wantCallees
                    ? " calls no other service."
                    : " has no callers: it is an entry service."),
            s + (wantCallees ? " 不调用其他服务。" : " 没有调用方：它是入口服务。"));
        continue;
      }
      if (edges.stream().allMatch(e -> e.calls() == 0)) {
        r.say(
            "There is no data on the calls "
                + (wantCallees ? "of " : "to ")
                + s
                + " "
                + q.range().during()
                + ", so I cannot say how its "
                + (wantCallees ? "callees" : "callers")
                + " did.",
            q.range().label()
                + "内没有 "
                + s
                + " 的调用数据，无法判断它的"
                + (wantCallees ? "下游" : "调用方")
                + "状况。");
        continue;
      }
      String list =
          edges.stream()
              .map(
                  e ->
                      String.format(
                          Locale.ROOT,
                          "%s (%d calls, p95 %s, %d errors)",
                          wantCallees ? e.callee() : e.caller(),
                          e.calls(),
                          Format.ms(e.p95Millis()),
                          e.errors()))
              .collect(Collectors.joining(", "));
      r.say(
          s + " " + role + " " + list + " " + q.range().during() + ".",
          q.range().label() + "内 " + s + (wantCallees ? " 调用了 " : " 的调用方：") + list + "。");
      List<Incident> affected =
          tools.incidents(q.range(), null).stream().filter(i -> !i.rootCauses().isEmpty()).toList();
      for (Edge e : edges) {
        String other = wantCallees ? e.callee() : e.caller();
        affected.stream()
            .filter(i -> i.affectedServices().contains(other))
            .findFirst()
            .ifPresent(
                i -> {
                  r.fact(incidentFact(i)).cite(i.id());
                  r.say(
                      other + " is affected by incident " + i.id() + ".",
                      other + " 受事件 " + i.id() + " 影响。");
                });
      }
    }
  }
}
