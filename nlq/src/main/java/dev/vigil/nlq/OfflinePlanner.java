package dev.vigil.nlq;

import dev.vigil.nlq.ToolResults.Comparison;
import dev.vigil.nlq.ToolResults.Edge;
import dev.vigil.nlq.ToolResults.Impact;
import dev.vigil.nlq.ToolResults.Neighbours;
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
 * The default answerer: maps each intent to a fixed set of {@link TelemetryTools} calls and writes
 * the answer from their outputs with templates, in English or Chinese. The answer states the
 * conclusion, the root cause with its confidence (the ranked score, the same figure the API and the
 * UI show), the evidence with its numbers and trace ids, the impact and the next checks; when the
 * data cannot support an answer it says so and why. Every number comes from a tool output, and
 * every tool output used is one of the answer's {@link Answer#facts()}.
 */
final class OfflinePlanner implements DiagnosticAnswerer {

  /** Evidence sentences an answer quotes at most, strongest first. */
  static final int MAX_EVIDENCE = 4;

  /** Example traces an answer cites at most. */
  static final int MAX_TRACES = 3;

  /** Traces a trace listing shows at most. */
  static final int MAX_LISTED_TRACES = 5;

  /** Root-cause candidates an answer names at most, the top one included. */
  static final int MAX_CANDIDATES = 3;

  @Override
  public Answer answer(Question q, LiveState state) {
    TelemetryTools tools = new TelemetryTools(state);
    Reply r = new Reply(q.chinese());
    if (q.unknownService() != null && q.services().isEmpty()) {
      String known = String.join(", ", tools.services());
      r.fact("known services: " + known + ".");
      r.say(
          "I don't know service " + q.unknownService() + "; known services are " + known + ".",
          "我不知道服务 " + q.unknownService() + "；已知的服务有：" + known + "。");
      return r.build(q);
    }
    switch (q.intent()) {
      case EXPLAIN -> explain(q, tools, r);
      case HEALTH -> health(q, tools, r);
      case IMPACT -> impact(q, tools, r);
      case CHANGES -> changes(q, tools, r);
      case COMPARE -> compare(q, tools, r);
      case TRACES -> traces(q, tools, r);
      case NEXT_STEPS -> nextSteps(q, tools, r);
      case NEIGHBOURS -> neighbours(q, tools, r);
      case ROOT_CAUSE -> rootCause(q, tools, r);
    }
    return r.build(q);
  }

  /** The incident a question is about: the newest in its range involving its service. */
  private static Incident incidentFor(Question q, TelemetryTools tools) {
    List<Incident> found = tools.incidents(q.range(), q.service());
    return found.stream().filter(i -> !i.rootCauses().isEmpty()).findFirst().orElse(null);
  }

  private void rootCause(Question q, TelemetryTools tools, Reply r) {
    Incident i = incidentFor(q, tools);
    if (i == null) {
      noIncident(q, tools, r);
      return;
    }
    String subject = q.service() != null ? q.service() : subjectOf(i, tools);
    RootCause top = i.rootCauses().get(0);
    String symptom =
        switch (q.symptom()) {
          case Question.LATENCY -> "is slow";
          case Question.ERRORS -> "is failing";
          default -> "is abnormal";
        };
    String symptomZh =
        switch (q.symptom()) {
          case Question.LATENCY -> "变慢";
          case Question.ERRORS -> "出错";
          default -> "异常";
        };
    r.say(
        String.format(
            Locale.ROOT,
            "%s %s most likely because of %s (confidence %s).",
            subject,
            symptom,
            top.service(),
            Format.score(top.score())),
        String.format(
            Locale.ROOT,
            "%s %s最可能的根因是 %s（置信度 %s）。",
            subject,
            symptomZh,
            top.service(),
            Format.score(top.score())));
    describe(i, tools, r, true);
  }

  /** The incident's facts and sentences: evidence, traces, state, other candidates, impact. */
  private void describe(Incident i, TelemetryTools tools, Reply r, boolean withImpact) {
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
          traces.stream().map(OfflinePlanner::traceText).collect(Collectors.joining(", "));
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

  private static void impactSentence(Impact impact, Reply r) {
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

  private static String traceText(TraceRef t) {
    return Double.isNaN(t.millis())
        ? t.traceId()
        : t.traceId() + " (" + Format.ms(t.millis()) + ")";
  }

  private static List<TraceRef> exampleTraces(Incident i, RootCause top, TelemetryTools tools) {
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
  private static String subjectOf(Incident i, TelemetryTools tools) {
    List<String> entries =
        tools.entryServices().stream().filter(i.affectedServices()::contains).toList();
    return entries.isEmpty() ? String.join(", ", i.affectedServices()) : String.join(", ", entries);
  }

  /** No incident: the services' own numbers over the range. */
  private void noIncident(Question q, TelemetryTools tools, Reply r) {
    List<String> subjects = q.service() != null ? q.services() : tools.entryServices();
    String range = q.range().label();
    r.say(
        q.service() != null
            ? "No incident involving " + q.service() + " in the " + range + "."
            : "No incident in the " + range + ".",
        q.service() != null ? range + "内没有涉及 " + q.service() + " 的事件。" : range + "内没有事件。");
    statsSentences(subjects, q, tools, r);
  }

  private static void statsSentences(
      List<String> services, Question q, TelemetryTools tools, Reply r) {
    for (String s : services) {
      ServiceStats st = tools.stats(s, q.range());
      r.fact(st.fact());
      if (!st.hasData()) {
        r.say(
            "There is no data for "
                + s
                + " in the "
                + q.range().label()
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

  private void health(Question q, TelemetryTools tools, Reply r) {
    List<String> subjects = q.service() != null ? q.services() : tools.entryServices();
    List<Incident> open =
        tools.incidents(q.range(), q.service()).stream()
            .filter(i -> i.status().equals(Incident.OPEN) && !i.rootCauses().isEmpty())
            .toList();
    String who = String.join(", ", subjects);
    if (open.isEmpty()) {
      r.say(
          who
              + " "
              + (subjects.size() == 1 ? "is" : "are")
              + " healthy: no open incident in the "
              + q.range().label()
              + ".",
          who + " 状态正常：" + q.range().label() + "内没有未解决的事件。");
      statsSentences(subjects, q, tools, r);
      return;
    }
    Incident i = open.get(0);
    RootCause top = i.rootCauses().get(0);
    r.say(
        String.format(
            Locale.ROOT,
            "%s %s not healthy: incident %s is open, most likely caused by %s (confidence %s).",
            who,
            subjects.size() == 1 ? "is" : "are",
            i.id(),
            top.service(),
            Format.score(top.score())),
        String.format(
            Locale.ROOT,
            "%s 状态不正常：事件 %s 仍未解决，最可能的根因是 %s（置信度 %s）。",
            who,
            i.id(),
            top.service(),
            Format.score(top.score())));
    statsSentences(subjects, q, tools, r);
    describe(i, tools, r, false);
  }

  private void impact(Question q, TelemetryTools tools, Reply r) {
    Incident i = incidentFor(q, tools);
    if (i == null) {
      r.say(
          "No service is affected: there is no incident in the " + q.range().label() + ".",
          q.range().label() + "内没有事件，没有受影响的服务。");
      statsSentences(q.service() != null ? q.services() : tools.entryServices(), q, tools, r);
      return;
    }
    Impact impact = tools.impact(i);
    RootCause top = impact.rootCause();
    r.cause(top.service(), top.score()).cite(i.id());
    r.fact(incidentFact(i)).fact(impact.fact());
    r.say(
        String.format(
            Locale.ROOT,
            "Incident %s affects %d services: %s. The root cause is most likely %s (confidence %s);"
                + " the fault reaches %s through its callers.",
            i.id(),
            i.affectedServices().size(),
            String.join(", ", i.affectedServices()),
            top.service(),
            Format.score(top.score()),
            impact.affectedCallers().isEmpty()
                ? "no one else"
                : String.join(", ", impact.affectedCallers())),
        String.format(
            Locale.ROOT,
            "事件 %s 影响了 %d 个服务：%s。最可能的根因是 %s（置信度 %s），故障经调用方传播到 %s。",
            i.id(),
            i.affectedServices().size(),
            String.join("、", i.affectedServices()),
            top.service(),
            Format.score(top.score()),
            impact.affectedCallers().isEmpty() ? "无" : String.join("、", impact.affectedCallers())));
    impactSentence(impact, r);
    for (String s : i.affectedServices()) {
      ServiceStats st = tools.stats(s, q.range());
      if (st.hasData()) {
        r.fact(st.fact());
      }
    }
  }

  private void changes(Question q, TelemetryTools tools, Reply r) {
    List<Comparison> changed = tools.changes(q.range());
    List<Incident> started =
        tools.incidents(q.range(), null).stream()
            .filter(i -> !i.startedAt().isBefore(q.range().from()))
            .toList();
    started.forEach(i -> r.fact(incidentFact(i)).cite(i.id()));
    if (changed.isEmpty() && started.isEmpty()) {
      r.say(
          "Nothing changed notably in the "
              + q.range().label()
              + " compared with the time before: no service's p95 latency or error rate moved beyond the thresholds, and no incident started.",
          q.range().label() + "内与之前相比没有明显变化：没有服务的 p95 延迟或错误率超出阈值，也没有新事件。");
      return;
    }
    if (!started.isEmpty()) {
      Incident i = started.get(0);
      if (!i.rootCauses().isEmpty()) {
        r.cause(i.rootCauses().get(0).service(), i.rootCauses().get(0).score());
      }
      r.say(
          "Incident "
              + i.id()
              + " started at "
              + i.startedAt()
              + (i.rootCauses().isEmpty()
                  ? "."
                  : ", most likely caused by "
                      + i.rootCauses().get(0).service()
                      + " (confidence "
                      + Format.score(i.rootCauses().get(0).score())
                      + ")."),
          "事件 "
              + i.id()
              + " 始于 "
              + i.startedAt()
              + (i.rootCauses().isEmpty()
                  ? "。"
                  : "，最可能的根因是 "
                      + i.rootCauses().get(0).service()
                      + "（置信度 "
                      + Format.score(i.rootCauses().get(0).score())
                      + "）。"));
    }
    for (Comparison c : changed) {
      r.fact(c.current().fact()).fact(c.baseline().fact());
      r.say(changeSentence(c, false), changeSentence(c, true));
    }
  }

  private static String changeSentence(Comparison c, boolean zh) {
    ServiceStats now = c.current();
    ServiceStats then = c.baseline();
    return zh
        ? String.format(
            Locale.ROOT,
            "%s：p95 延迟 %s（之前 %s），错误率 %s（之前 %s）。",
            now.service(),
            Format.ms(now.p95Millis()),
            Format.ms(then.p95Millis()),
            Format.percent(now.errorRate()),
            Format.percent(then.errorRate()))
        : String.format(
            Locale.ROOT,
            "%s: p95 latency %s (before: %s), error rate %s (before: %s).",
            now.service(),
            Format.ms(now.p95Millis()),
            Format.ms(then.p95Millis()),
            Format.percent(now.errorRate()),
            Format.percent(then.errorRate()));
  }

  private void compare(Question q, TelemetryTools tools, Reply r) {
    List<String> subjects = q.service() != null ? q.services() : tools.entryServices();
    for (String s : subjects) {
      Comparison c = tools.compare(s, q.range(), q.baseline());
      r.fact(c.current().fact()).fact(c.baseline().fact());
      if (!c.current().hasData() || !c.baseline().hasData()) {
        String missing = !c.current().hasData() ? q.range().label() : q.baseline().label();
        r.say(
            "I cannot compare "
                + s
                + ": there is no data for "
                + missing
                + " (Vigil keeps a bounded history of windows).",
            "无法比较 " + s + "：没有" + missing + "的数据（Vigil 只保留有限的窗口历史）。");
        continue;
      }
      r.say(
          String.format(
              Locale.ROOT,
              "%s, %s vs %s: p95 latency %s vs %s, error rate %s vs %s, requests %d vs %d.",
              s,
              q.range().label(),
              q.baseline().label(),
              Format.ms(c.current().p95Millis()),
              Format.ms(c.baseline().p95Millis()),
              Format.percent(c.current().errorRate()),
              Format.percent(c.baseline().errorRate()),
              c.current().requests(),
              c.baseline().requests()),
          String.format(
              Locale.ROOT,
              "%s，%s 对比 %s：p95 延迟 %s 对 %s，错误率 %s 对 %s，请求数 %d 对 %d。",
              s,
              q.range().label(),
              q.baseline().label(),
              Format.ms(c.current().p95Millis()),
              Format.ms(c.baseline().p95Millis()),
              Format.percent(c.current().errorRate()),
              Format.percent(c.baseline().errorRate()),
              c.current().requests(),
              c.baseline().requests()));
    }
  }

  private void traces(Question q, TelemetryTools tools, Reply r) {
    boolean failed = q.symptom().equals(Question.ERRORS);
    List<String> subjects = q.service() != null ? q.services() : tools.entryServices();
    for (String s : subjects) {
      List<TraceRef> traces = tools.traces(s, q.range(), failed, MAX_LISTED_TRACES);
      if (traces.isEmpty()) {
        r.fact(
            s
                + ", "
                + q.range().label()
                + ": no "
                + (failed ? "failed" : "slow")
                + " exemplar traces.");
        r.say(
            "No "
                + (failed ? "failed" : "slow")
                + " traces of "
                + s
                + " in the "
                + q.range().label()
                + ".",
            q.range().label() + "内没有 " + s + " 的" + (failed ? "失败" : "慢") + "追踪。");
        continue;
      }
      traces.forEach(t -> r.fact(t.fact()).cite(t.traceId()));
      String list =
          traces.stream().map(OfflinePlanner::traceText).collect(Collectors.joining(", "));
      r.say(
          (failed ? "Failed" : "Slowest")
              + " traces of "
              + s
              + " in the "
              + q.range().label()
              + ": "
              + list
              + ".",
          q.range().label() + "内 " + s + " 的" + (failed ? "失败" : "最慢") + "追踪：" + list + "。");
    }
  }

  private void explain(Question q, TelemetryTools tools, Reply r) {
    String ref = q.reference();
    if (ref != null && ref.startsWith("alert-")) {
      AlertNote a = tools.alert(ref).orElse(null);
      if (a == null) {
        r.fact("no alert " + ref + " among the recent alerts.");
        r.say(
            "I don't know alert " + ref + ": it is not among the recent alerts.",
            "我不知道告警 " + ref + "：它不在最近的告警中。");
        return;
      }
      r.fact(new TelemetryTools.ToolResultsAlert(a).fact()).cite(a.id());
      r.say(
          String.format(
              Locale.ROOT,
              "Alert %s: %s was %s at %s with grade %s; drivers: %s.",
              a.id(),
              a.service(),
              a.status(),
              a.at(),
              Format.score(a.grade()),
              a.drivers().isEmpty() ? "none" : String.join(", ", a.drivers())),
          String.format(
              Locale.ROOT,
              "告警 %s：%s 于 %s 状态为 %s，等级 %s；驱动特征：%s。",
              a.id(),
              a.service(),
              a.at(),
              a.status(),
              Format.score(a.grade()),
              a.drivers().isEmpty() ? "无" : String.join(", ", a.drivers())));
      Incident i =
          tools.state().incidents().stream()
              .filter(x -> TelemetryTools.involves(x, a.service()) && !x.rootCauses().isEmpty())
              .filter(
                  x ->
                      !x.startedAt().isAfter(a.at())
                          && (x.resolvedAt() == null || !x.resolvedAt().isBefore(a.at())))
              .findFirst()
              .orElse(null);
      if (i != null) {
        r.say(
            "It belongs to incident "
                + i.id()
                + ", most likely caused by "
                + i.rootCauses().get(0).service()
                + " (confidence "
                + Format.score(i.rootCauses().get(0).score())
                + ").",
            "它属于事件 "
                + i.id()
                + "，最可能的根因是 "
                + i.rootCauses().get(0).service()
                + "（置信度 "
                + Format.score(i.rootCauses().get(0).score())
                + "）。");
        describe(i, tools, r, true);
      }
      return;
    }
    Incident i = ref == null ? incidentFor(q, tools) : tools.incident(ref).orElse(null);
    if (i == null || i.rootCauses().isEmpty()) {
      String what = ref == null ? "incident in the " + q.range().label() : ref;
      r.fact("no " + what + " with ranked causes.");
      r.say(
          "I don't know " + what + ": there is no such incident with ranked causes.",
          "我不知道" + (ref == null ? q.range().label() + "内的事件" : "事件 " + ref) + "：没有这样一个已排序根因的事件。");
      return;
    }
    RootCause top = i.rootCauses().get(0);
    r.say(
        String.format(
            Locale.ROOT,
            "Incident %s: the most likely root cause is %s (confidence %s).",
            i.id(),
            top.service(),
            Format.score(top.score())),
        String.format(
            Locale.ROOT,
            "事件 %s：最可能的根因是 %s（置信度 %s）。",
            i.id(),
            top.service(),
            Format.score(top.score())));
    describe(i, tools, r, true);
  }

  private void nextSteps(Question q, TelemetryTools tools, Reply r) {
    Incident i =
        q.reference() != null ? tools.incident(q.reference()).orElse(null) : incidentFor(q, tools);
    if (i == null || i.rootCauses().isEmpty()) {
      r.say(
          "There is nothing to check: no incident in the " + q.range().label() + ".",
          q.range().label() + "内没有事件，无需排查。");
      statsSentences(q.service() != null ? q.services() : tools.entryServices(), q, tools, r);
      return;
    }
    RootCause top = i.rootCauses().get(0);
    r.cause(top.service(), top.score()).cite(i.id());
    r.fact(incidentFact(i));
    List<String> en = new ArrayList<>();
    List<String> zh = new ArrayList<>();
    for (Evidence e : top.evidence()) {
      r.fact("evidence for " + top.service() + ": " + e.text());
      switch (e.kind()) {
        case Evidence.SLOW_OPERATION -> {
          en.add("look at operation " + e.subject() + " of " + top.service());
          zh.add("查看 " + top.service() + " 的操作 " + e.subject());
        }
        case Evidence.REQUEST_PATTERN -> {
          en.add("look at what changed in operation " + e.subject() + ": " + e.text());
          zh.add("查看操作 " + e.subject() + " 的变化：" + e.text(true));
        }
        case Evidence.METRIC_CHANGE -> {
          en.add("look at what moved " + top.service() + "'s " + e.subject() + ": " + e.text());
          zh.add("查看是什么改变了 " + top.service() + " 的 " + e.subject() + "：" + e.text(true));
        }
        case Evidence.EXAMPLE_TRACES -> {
          if (!e.traceIds().isEmpty()) {
            String id = e.traceIds().get(0);
            r.cite(id);
            en.add("open trace " + id + " and find the slow or failing span in " + top.service());
            zh.add("打开追踪 " + id + "，找到 " + top.service() + " 中慢或失败的 span");
          }
        }
        default -> {}
      }
      if (en.size() >= 4) {
        break;
      }
    }
    if (top.path().size() > 1) {
      en.add("confirm the propagation path " + String.join(" -> ", top.path()));
      zh.add("确认传播路径 " + String.join(" -> ", top.path()));
    }
    if (i.rootCauses().size() > 1) {
      RootCause second = i.rootCauses().get(1);
      en.add(
          "if "
              + top.service()
              + " looks fine, check "
              + second.service()
              + " (confidence "
              + Format.score(second.score())
              + ")");
      zh.add(
          "如果 "
              + top.service()
              + " 没有问题，再查 "
              + second.service()
              + "（置信度 "
              + Format.score(second.score())
              + "）");
    }
    en.forEach(s -> r.fact("suggested check: " + s + "."));
    r.say(
        String.format(
            Locale.ROOT,
            "Start with %s, the most likely root cause of incident %s (confidence %s). Next checks: %s.",
            top.service(),
            i.id(),
            Format.score(top.score()),
            String.join("; ", en)),
        String.format(
            Locale.ROOT,
            "先查 %s，它是事件 %s 最可能的根因（置信度 %s）。下一步：%s。",
            top.service(),
            i.id(),
            Format.score(top.score()),
            String.join("；", zh)));
  }

  private void neighbours(Question q, TelemetryTools tools, Reply r) {
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
          s + " " + role + " " + list + " in the " + q.range().label() + ".",
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
