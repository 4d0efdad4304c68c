package dev.vigil.nlq;

import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.MeterRegistry;

/** Answers a diagnostic question from Vigil's evidence only. */
public interface DiagnosticAnswerer {

  Answer answer(String question, DiagnosticContext context);

  /** The offline answerer: rule-based parsing and templated, cited answers. */
  static DiagnosticAnswerer offline() {
    return new TemplateAnswerer();
  }

  /**
   * An answerer that has a language model word the answer from the facts the offline answer is
   * built from, and keeps the model's text only when every number, id and service in it is in those
   * facts and it names the same root cause; otherwise (or when the model fails or times out) it
   * returns the offline answer. {@link Answer#source()} says which it was. Fallbacks are counted in
   * {@code vigil.nlq.llm.fallbacks{reason=ungrounded|error|empty}}.
   *
   * @param registry where to count fallbacks, or null
   * @see LlmProvider#answerer
   */
  static DiagnosticAnswerer llm(ChatModel model, MeterRegistry registry) {
    return new LlmAnswerer(model, registry);
  }
}
