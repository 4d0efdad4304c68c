package dev.vigil.nlq;

import static dev.vigil.nlq.IncidentSentences.describe;
import static dev.vigil.nlq.IncidentSentences.impactSentence;
import static dev.vigil.nlq.IncidentSentences.incidentFact;
import static dev.vigil.nlq.IncidentSentences.incidentFor;
import static dev.vigil.nlq.IncidentSentences.noIncident;
import static dev.vigil.nlq.IncidentSentences.statsSentences;
import static dev.vigil.nlq.IncidentSentences.subjectOf;

import dev.vigil.nlq.ToolResults.Impact;
import dev.vigil.nlq.ToolResults.ServiceStats;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.List;
import java.util.Locale;

/**
 * The default answerer: maps each intent to a fixed set of {@link TelemetryTools} calls and writes
 * the answer from their outputs with templates, in English or Chinese. The answer states the
 * conclusion, the root cause with its confidence (the ranked score, the same figure the API and the
 * UI show), the evidence with its numbers and trace ids, the impact and the next checks; when the
 * data cannot support an answer it says so and why. Every number comes from a tool output, and
 * every tool output used is one of the answer's {@link Answer#facts()}.
 *
 * <p>Root cause, health and impact are answered here; changes and comparisons by {@link
 * ChangeAnswers}, traces by {@link TraceAnswers}, alert and incident ids by {@link ExplainAnswers},
 * next checks by {@link NextStepAnswers}, neighbours by {@link NeighbourAnswers}, all with the
 * shared sentences of {@link IncidentSentences}.
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
      case EXPLAIN -> ExplainAnswers.explain(q, tools, r);
      case HEALTH -> health(q, tools, r);
      case IMPACT -> impact(q, tools, r);
      case CHANGES -> ChangeAnswers.changes(q, tools, r);
      case COMPARE -> ChangeAnswers.compare(q, tools, r);
      case TRACES -> TraceAnswers.traces(q, tools, r);
      case NEXT_STEPS -> NextStepAnswers.nextSteps(q, tools, r);
      case NEIGHBOURS -> NeighbourAnswers.neighbours(q, tools, r);
      case ROOT_CAUSE -> rootCause(q, tools, r);
    }
    return r.build(q);
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
              + " healthy: no open incident "
              + q.range().during()
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
          "No service is affected: there is no incident " + q.range().during() + ".",
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
}
