package dev.vigil.nlq;

import static dev.vigil.nlq.OfflinePlanner.MAX_CANDIDATES;
import static dev.vigil.nlq.OfflinePlanner.MAX_EVIDENCE;
import static dev.vigil.nlq.OfflinePlanner.MAX_TRACES;

import dev.vigil.nlq.ToolResults.Impact;
import dev.vigil.nlq.ToolResults.ServiceStats;
import dev.vigil.nlq.ToolResults.TraceRef;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The sentences and facts every intent's answer shares: an incident described (evidence, example
 * traces, state, other candidates, impact), a service's numbers over a range, and the incident a
 * question is about.
 */
final class IncidentSentences {
  private IncidentSentences() {}

  /** The incident a question is about: the newest in its range involving its service. */
  static Incident incidentFor(Question q, TelemetryTools tools) {
    List<Incident> found = tools.incidents(q.range(), q.service());
    return found.stream().filter(i -> !i.rootCauses().isEmpty()).findFirst().orElse(null);
  }

  /** The incident's facts and sentences: evidence, traces, state, other candidates, impact. */
  static void describe(Incident i, TelemetryTools tools, Reply r, boolean withImpact) {
    RootCause top = i.rootCauses().get(0);
    r.cause(top.service(), top.score()).cite(i.id());
    r.fact(incidentFact(i));
    List<Evidence> sentences =
        top.evidence().stream()
            .filter(e -> !e.kind().equals(Evidence.EXAMPLE_TRACES))
            .limit(MAX_EVIDENCE)
            .toList();
    sentences.forEach(e -> r.fact("evidence for " + top.service() + ": " + e.text()));
    if (!sentences.isEmpty()) {
      r.say(
          "Evidence: "
              + sentences.stream().map(Evidence::text).collect(Collectors.joining("; "))
              + ".",
          "证据：" + sentences.stream().map(e -> e.text(true)).collect(Collectors.joining("；")) + "。");
    }
    List<TraceRef> traces = exampleTraces(i, top, tools);
    if (!traces.isEmpty()) {
      traces.forEach(t -> r.fact(t.fact()).cite(t.traceId()));
      String list =
          traces.stream().map(IncidentSentences::traceText).collect(Collectors.joining(", "));
      r.say(
          "Example traces of " + top.service() + ": " + list + ".",
          top.service() + " 的示例追踪：" + list + "。");
    }
    String when = i.status().equals(Incident.OPEN) ? "is ongoing" : "resolved at " + i.resolvedAt();
    String whenZh = i.status().equals(Incident.OPEN) ? "仍在持续" : "已于 " + i.resolvedAt() + " 恢复";
    r.say(
        "Incident "
            + i.id()
            + " started at "
            + i.startedAt()
            + " and "
            + when
            + "; affected services: "
            + String.join(", ", i.affectedServices())
            + ".",
        "事件 "
            + i.id()
            + " 始于 "
            + i.startedAt()
            + "，"
            + whenZh
            + "；受影响的服务："
            + String.join("、", i.affectedServices())
            + "。");
    List<RootCause> others = i.rootCauses().stream().skip(1).limit(MAX_CANDIDATES - 1).toList();
    if (!others.isEmpty()) {
      String list =
          others.stream()
              .map(c -> c.service() + " (" + Format.score(c.score()) + ")")
              .collect(Collectors.joining(", "));
      r.say("Other candidates: " + list + ".", "其他候选：" + list + "。");
    }
    if (withImpact) {
      Impact impact = tools.impact(i);
      r.fact(impact.fact());
      impactSentence(impact, r);
    }
  }

  static void impactSentence(Impact impact, Reply r) {
    if (impact.entry() != null && !Double.isNaN(impact.entryShare())) {
      r.say(
          String.format(
              Locale.ROOT,
              "Impact: %s of %d requests of the entry service %s called %s during the incident.",
              Format.percent(impact.entryShare()),
              impact.entryRequests(),
              impact.entry(),
              impact.pathHead()),
          String.format(
              Locale.ROOT,
              "影响：事件期间入口服务 %s 的 %d 个请求中有 %s 调用了 %s。",
              impact.entry(),
              impact.entryRequests(),
              Format.percent(impact.entryShare()),
              impact.pathHead()));
    }
  }

  static String traceText(TraceRef t) {
    return Double.isNaN(t.millis())
        ? t.traceId()
        : t.traceId() + " (" + Format.ms(t.millis()) + ")";
  }

  static List<TraceRef> exampleTraces(Incident i, RootCause top, TelemetryTools tools) {
    TimeRange during =
        new TimeRange(
            i.startedAt().minusSeconds(60),
            (i.resolvedAt() != null ? i.resolvedAt() : tools.state().now()).plusSeconds(60),
            "during " + i.id());
    List<TraceRef> out = new ArrayList<>();
    for (Evidence e : top.evidence()) {
      if (!e.kind().equals(Evidence.EXAMPLE_TRACES)) {
        continue;
      }
      for (String id : e.traceIds()) {
        if (out.size() < MAX_TRACES && out.stream().noneMatch(t -> t.traceId().equals(id))) {
          out.add(
              tools
                  .trace(top.service(), id, during)
                  .orElse(new TraceRef(id, top.service(), Double.NaN, i.startedAt(), false)));
        }
      }
    }
    return out;
  }

  static String incidentFact(Incident i) {
    return String.format(
        Locale.ROOT,
        "incident %s: %s, started at %s%s; affected services %s; ranked causes %s.",
        i.id(),
        i.status(),
        i.startedAt(),
        i.resolvedAt() == null ? "" : ", resolved at " + i.resolvedAt(),
        String.join(", ", i.affectedServices()),
        i.rootCauses().stream()
            .limit(MAX_CANDIDATES)
            .map(c -> c.service() + " (score " + Format.score(c.score()) + ")")
            .collect(Collectors.joining(", ")));
  }

  /** Who the incident is about when the question named no service: the entry services hurt. */
  static String subjectOf(Incident i, TelemetryTools tools) {
    List<String> entries =
        tools.entryServices().stream().filter(i.affectedServices()::contains).toList();
    return entries.isEmpty() ? String.join(", ", i.affectedServices()) : String.join(", ", entries);
  }

  /** No incident: the services' own numbers over the range. */
  static void noIncident(Question q, TelemetryTools tools, Reply r) {
    List<String> subjects = q.service() != null ? q.services() : tools.entryServices();
    String range = q.range().label();
    r.say(
        q.service() != null
            ? "No incident involving " + q.service() + " " + q.range().during() + "."
            : "No incident " + q.range().during() + ".",
        q.service() != null ? range + "内没有涉及 " + q.service() + " 的事件。" : range + "内没有事件。");
    statsSentences(subjects, q, tools, r);
  }

  static void statsSentences(List<String> services, Question q, TelemetryTools tools, Reply r) {
    for (String s : services) {
      ServiceStats st = tools.stats(s, q.range());
      r.fact(st.fact());
      if (!st.hasData()) {
        r.say(
            "There is no data for "
                + s
                + " "
                + q.range().during()
                + ", so I cannot say how it is doing.",
            q.range().label() + "内没有 " + s + " 的数据，无法判断它的状况。");
        continue;
      }
      r.say(
          String.format(
              Locale.ROOT,
              "%s served %d requests with p95 latency %s and an error rate of %s.",
              s,
              st.requests(),
              Format.ms(st.p95Millis()),
              Format.percent(st.errorRate())),
          String.format(
              Locale.ROOT,
              "%s 处理了 %d 个请求，p95 延迟 %s，错误率 %s。",
              s,
              st.requests(),
              Format.ms(st.p95Millis()),
              Format.percent(st.errorRate())));
    }
  }
}
