package dev.vigil.nlq;

import static dev.vigil.nlq.IncidentSentences.incidentFact;
import static dev.vigil.nlq.IncidentSentences.incidentFor;
import static dev.vigil.nlq.IncidentSentences.statsSentences;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Answers to "what should I check next": checks suggested by the kinds of evidence of the root
 * cause, the only actions an answer (or a language model's reply) may suggest.
 */
final class NextStepAnswers {
  private NextStepAnswers() {}

  static void nextSteps(Question q, TelemetryTools tools, Reply r) {
    Incident i =
        q.reference() != null ? tools.incident(q.reference()).orElse(null) : incidentFor(q, tools);
    if (i == null || i.rootCauses().isEmpty()) {
      r.say(
          "There is nothing to check: no incident " + q.range().during() + ".",
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
}
