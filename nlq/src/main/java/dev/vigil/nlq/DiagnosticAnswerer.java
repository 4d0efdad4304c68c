package dev.vigil.nlq;

import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.MeterRegistry;

/** Answers a diagnostic question from Vigil's evidence only. */
public interface DiagnosticAnswerer {

  /** Answers a parsed question (see {@link QuestionParser}). */
  Answer answer(Question question, LiveState state);

  /** Parses and answers a question asked on its own. */
  default Answer answer(String question, LiveState state) {
    return answer(QuestionParser.utc().parse(question, state), state);
  }

  /** The offline answerer: rule-based parsing, tools planned by intent, templated answers. */
  static DiagnosticAnswerer offline() {
    return new OfflinePlanner();
  }

  /**
   * An answerer that has a language model answer from the facts the offline answer is built from
   * and from Vigil's tools, which it may call (a bounded number of times, within a timeout), and
   * keeps the model's text only when every number, id and service in it is in those facts, it names
   * the same root cause, and it adds no URL, command, path or action; otherwise (or when the model
   * fails or times out) it returns the offline answer. {@link Answer#source()} says which it was.
   * Fallbacks are counted in {@code vigil.nlq.llm.fallbacks{reason}}.
   *
   * @param registry where to count fallbacks, or null
   * @see LlmProvider#answerer
   */
  static DiagnosticAnswerer llm(ChatModel model, MeterRegistry registry) {
    return new LlmAnswerer(model, registry);
  }
}
