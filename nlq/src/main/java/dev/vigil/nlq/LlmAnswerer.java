package dev.vigil.nlq;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a language model word the answer, from the same facts the template answer is built from, and
 * keeps its reply only if {@link GroundingCheck} finds nothing in it that the facts do not say.
 * Otherwise, and whenever the model fails, the answer is the template answer: the LLM can make an
 * answer read better, never make it wrong. Fallbacks are counted in {@value #FALLBACKS} by {@code
 * reason}: {@value #UNGROUNDED}, {@value #ERROR} (the call threw or timed out) or {@value #EMPTY}.
 */
final class LlmAnswerer implements DiagnosticAnswerer {
  private static final Logger log = LoggerFactory.getLogger(LlmAnswerer.class);

  static final String FALLBACKS = "vigil.nlq.llm.fallbacks";
  static final String UNGROUNDED = "ungrounded";
  static final String ERROR = "error";
  static final String EMPTY = "empty";

  /** Reasoning models served by Ollama or vLLM put their thinking before the answer. */
  private static final Pattern THINKING = Pattern.compile("(?s)^\\s*<think>.*?</think>");

  private final ChatModel model;
  private final Map<String, Counter> fallbacks;

  /**
   * @param registry where to count fallbacks, or null
   */
  LlmAnswerer(ChatModel model, MeterRegistry registry) {
    this.model = Objects.requireNonNull(model, "model");
    this.fallbacks =
        registry == null
            ? Map.of()
            : Map.of(
                UNGROUNDED, counter(registry, UNGROUNDED),
                ERROR, counter(registry, ERROR),
                EMPTY, counter(registry, EMPTY));
  }

  private static Counter counter(MeterRegistry registry, String reason) {
    return Counter.builder(FALLBACKS)
        .description("LLM answers replaced by the template answer")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public Answer answer(String question, DiagnosticContext context) {
    AnswerBasis basis = AnswerBasis.of(question, context);
    Answer template = TemplateAnswerer.answer(basis);
    GroundingFacts facts = GroundingFacts.of(basis);
    boolean chinese = basis.question().chinese();
    String reply;
    try {
      ChatResponse response =
          model.chat(
              ChatRequest.builder()
                  .messages(
                      SystemMessage.from(systemPrompt(chinese)),
                      UserMessage.from(userPrompt(question, facts, chinese)))
                  .build());
      reply = response == null || response.aiMessage() == null ? null : response.aiMessage().text();
    } catch (RuntimeException e) {
      log.warn("LLM call failed, answering from the template: {}", e.toString());
      return fallback(template, ERROR);
    }
    if (reply != null) {
      reply = THINKING.matcher(reply).replaceFirst("").strip();
    }
    if (reply == null || reply.isEmpty()) {
      log.warn("LLM gave an empty reply, answering from the template");
      return fallback(template, EMPTY);
    }
    List<String> problems = GroundingCheck.of(facts).problems(reply, template.rootCause());
    if (!problems.isEmpty()) {
      log.warn("LLM reply rejected, answering from the template: {}", String.join("; ", problems));
      log.debug("rejected LLM reply: {}", reply);
      return fallback(template, UNGROUNDED);
    }
    return new Answer(
        reply,
        template.service(),
        template.intent(),
        template.rootCause(),
        template.citations(),
        Answer.LLM);
  }

  private Answer fallback(Answer template, String reason) {
    Counter c = fallbacks.get(reason);
    if (c != null) {
      c.increment();
    }
    return template;
  }

  static String systemPrompt(boolean chinese) {
    String language = chinese ? "Chinese (简体中文)" : "English";
    return "You are Vigil's incident assistant. Vigil watches OpenTelemetry data, detects"
        + " incidents and ranks their root causes. Answer the user's question only from the FACTS"
        + " in the user's message. Do not invent numbers, services, causes, trace ids or incident"
        + " ids: copy every number exactly as the FACTS write it, with its unit, and do not round,"
        + " convert or compute numbers. Name the most likely root cause (the first candidate) when"
        + " there is one, and cite the incident id. If the FACTS do not answer the question, say"
        + " so. Answer in "
        + language
        + ", the language of the question. Keep it short: 3 to 5 sentences of plain text, no"
        + " lists, no markdown.";
  }

  static String userPrompt(String question, GroundingFacts facts, boolean chinese) {
    return "Question: "
        + question.strip()
        + "\n\nFACTS:\n"
        + facts.text()
        + "\n\nAnswer the question from these FACTS only, in "
        + (chinese ? "Chinese" : "English")
        + ".";
  }
}
