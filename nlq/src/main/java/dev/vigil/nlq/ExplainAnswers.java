package dev.vigil.nlq;

import static dev.vigil.nlq.IncidentSentences.describe;
import static dev.vigil.nlq.IncidentSentences.incidentFor;

import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.Locale;

/**
 * Answers to "explain alert or incident &lt;id&gt;": the alert or incident and its ranked causes.
 */
final class ExplainAnswers {
  private ExplainAnswers() {}

  static void explain(Question q, TelemetryTools tools, Reply r) {
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
      String what = ref == null ? "incident " + q.range().during() : ref;
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
}
