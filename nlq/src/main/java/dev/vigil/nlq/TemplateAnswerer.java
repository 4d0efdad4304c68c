package dev.vigil.nlq;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Answers from incidents and features with fixed templates, in English or Chinese. Every number in
 * an answer comes from the evidence; nothing is generated.
 */
final class TemplateAnswerer implements DiagnosticAnswerer {

  @Override
  public Answer answer(String text, DiagnosticContext ctx) {
    return answer(AnswerBasis.of(text, ctx));
  }

  /** The template answer for a question already parsed and matched to its incident. */
  static Answer answer(AnswerBasis basis) {
    return basis.incident() != null ? explain(basis) : healthy(basis);
  }

  private static Answer explain(AnswerBasis basis) {
    Question q = basis.question();
    Incident i = basis.incident();
    RootCause top = basis.topCause();
    String subject = q.service() != null ? q.service() : String.join(", ", i.affectedServices());
    List<String> facts = basis.evidenceSentences();
    List<String> traces = basis.exampleTraces();
    String others =
        basis.candidates().stream()
            .skip(1)
            .map(r -> String.format(Locale.ROOT, "%s (%.2f)", r.service(), r.score()))
            .collect(Collectors.joining(", "));
    String state = i.status().equals(Incident.OPEN) ? "ongoing" : "resolved at " + i.resolvedAt();
    StringBuilder sb = new StringBuilder();
    if (q.chinese()) {
      sb.append(
          String.format(
              Locale.ROOT, "%s 的异常最可能的根因是 %s（置信度 %.2f）。", subject, top.service(), top.score()));
      sb.append("证据：").append(String.join("；", facts)).append("。");
      sb.append(
          String.format(
              Locale.ROOT,
              "事件 %s 始于 %s，%s；受影响的服务：%s。",
              i.id(),
              i.startedAt(),
              i.status().equals(Incident.OPEN) ? "仍在持续" : "已于 " + i.resolvedAt() + " 恢复",
              String.join("、", i.affectedServices())));
      if (!others.isEmpty()) {
        sb.append("其他候选：").append(others).append("。");
      }
      if (!traces.isEmpty()) {
        sb.append("示例追踪：").append(String.join(", ", traces)).append("。");
      }
    } else {
      String symptom =
          switch (q.intent()) {
            case LATENCY -> "is slow";
            case ERRORS -> "is failing";
            case GENERAL -> "is abnormal";
          };
      sb.append(
          String.format(
              Locale.ROOT,
              "%s %s most likely because of %s (confidence %.2f). ",
              subject,
              symptom,
              top.service(),
              top.score()));
      sb.append("Evidence: ").append(String.join("; ", facts)).append(". ");
      sb.append(
          String.format(
              Locale.ROOT,
              "Incident %s started at %s and is %s; affected services: %s.",
              i.id(),
              i.startedAt(),
              state,
              String.join(", ", i.affectedServices())));
      if (!others.isEmpty()) {
        sb.append(" Other candidates: ").append(others).append('.');
      }
      if (!traces.isEmpty()) {
        sb.append(" Example traces: ").append(String.join(", ", traces)).append('.');
      }
    }
    List<String> citations = new ArrayList<>();
    citations.add(i.id());
    citations.addAll(traces);
    return new Answer(
        sb.toString(), q.service(), basis.intent(), top.service(), citations, Answer.TEMPLATE);
  }

  private static Answer healthy(AnswerBasis basis) {
    Question q = basis.question();
    String range = human(q);
    String text;
    if (basis.mentionsUnknownService()) {
      text =
          q.chinese()
              ? "我不认识问题中的服务。已知服务：" + String.join("、", basis.knownServices())
              : "I could not find a known service in the question. Known services: "
                  + String.join(", ", basis.knownServices())
                  + ".";
    } else if (basis.latest() != null) {
      ServiceFeatures f = basis.latest();
      text =
          q.chinese()
              ? String.format(
                  Locale.ROOT,
                  "%s内没有涉及 %s 的事件。最近一个窗口：%d 个请求，p95 延迟 %.1f ms，错误率 %.2f%%。",
                  range,
                  q.service(),
                  f.requests(),
                  f.p95Millis(),
                  100 * f.errorRate())
              : String.format(
                  Locale.ROOT,
                  "No incident involving %s in the %s. In the latest window it served %d requests with p95 latency %.1f ms and an error rate of %.2f%%.",
                  q.service(),
                  range,
                  f.requests(),
                  f.p95Millis(),
                  100 * f.errorRate());
    } else {
      text =
          q.chinese()
              ? range + "内没有检测到事件" + (q.service() == null ? "。" : "，也没有 " + q.service() + " 的最新数据。")
              : "No incident detected in the "
                  + range
                  + (q.service() == null ? "." : ", and no recent data for " + q.service() + ".");
    }
    return new Answer(text, q.service(), basis.intent(), null, List.of(), Answer.TEMPLATE);
  }

  /** The question's time range for people: "past hour", "过去2小时". */
  static String human(Question q) {
    long minutes = q.range().toMinutes();
    if (q.chinese()) {
      return minutes % 60 == 0 ? "过去" + minutes / 60 + "小时" : "过去" + minutes + "分钟";
    }
    if (minutes % 60 == 0) {
      long h = minutes / 60;
      return h == 1 ? "past hour" : "past " + h + " hours";
    }
    return "past " + minutes + " minutes";
  }
}
