package dev.vigil.nlq;

import static dev.vigil.nlq.IncidentSentences.incidentFact;

import dev.vigil.nlq.ToolResults.Comparison;
import dev.vigil.nlq.ToolResults.ServiceStats;
import dev.vigil.rca.Incident;
import java.util.List;
import java.util.Locale;

/**
 * Answers to "what changed in the last N minutes" and "X now compared with an hour ago": the
 * services' numbers over two ranges side by side, and the incidents that started in between.
 */
final class ChangeAnswers {
  private ChangeAnswers() {}

  static void changes(Question q, TelemetryTools tools, Reply r) {
    List<Comparison> changed = tools.changes(q.range());
    List<Incident> started =
        tools.incidents(q.range(), null).stream()
            .filter(i -> !i.startedAt().isBefore(q.range().from()))
            .toList();
    started.forEach(i -> r.fact(incidentFact(i)).cite(i.id()));
    if (changed.isEmpty() && started.isEmpty()) {
      r.say(
          "Nothing changed notably "
              + q.range().during()
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

  static String changeSentence(Comparison c, boolean zh) {
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

  static void compare(Question q, TelemetryTools tools, Reply r) {
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
      // One set of figures for both languages: the two sentences cannot disagree on a number.
      Object[] figures = {
        s,
        q.range().label(),
        q.baseline().label(),
        Format.ms(c.current().p95Millis()),
        Format.ms(c.baseline().p95Millis()),
        Format.percent(c.current().errorRate()),
        Format.percent(c.baseline().errorRate()),
        c.current().requests(),
        c.baseline().requests()
      };
      r.say(
          String.format(
              Locale.ROOT,
              "%s, %s vs %s: p95 latency %s vs %s, error rate %s vs %s, requests %d vs %d.",
              figures),
          String.format(
              Locale.ROOT, "%s，%s 对比 %s：p95 延迟 %s 对 %s，错误率 %s 对 %s，请求数 %d 对 %d。", figures));
    }
  }
}
