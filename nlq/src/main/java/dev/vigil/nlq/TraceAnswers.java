package dev.vigil.nlq;

import static dev.vigil.nlq.OfflinePlanner.MAX_LISTED_TRACES;

import dev.vigil.nlq.ToolResults.TraceRef;
import java.util.List;
import java.util.stream.Collectors;

/** Answers to "show slow or failed traces of X": exemplar trace ids with their durations. */
final class TraceAnswers {
  private TraceAnswers() {}

  static void traces(Question q, TelemetryTools tools, Reply r) {
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
                + " "
                + q.range().during()
                + ".",
            q.range().label() + "内没有 " + s + " 的" + (failed ? "失败" : "慢") + "追踪。");
        continue;
      }
      traces.forEach(t -> r.fact(t.fact()).cite(t.traceId()));
      String list =
          traces.stream().map(IncidentSentences::traceText).collect(Collectors.joining(", "));
      r.say(
          (failed ? "Failed" : "Slowest")
              + " traces of "
              + s
              + " "
              + q.range().during()
              + ": "
              + list
              + ".",
          q.range().label() + "内 " + s + " 的" + (failed ? "失败" : "最慢") + "追踪：" + list + "。");
    }
  }
}
