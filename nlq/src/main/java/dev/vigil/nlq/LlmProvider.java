package dev.vigil.nlq;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The language-model APIs Vigil can ask, through langchain4j, with their public endpoints and the
 * model used when none is named. {@link #OPENAI} speaks the OpenAI chat-completions protocol, so it
 * also reaches compatible servers (Ollama, vLLM) given their base URL.
 */
public enum LlmProvider {
  OPENAI("openai", "https://api.openai.com/v1", "gpt-4.1-mini"),
  ANTHROPIC("anthropic", "https://api.anthropic.com/v1", "claude-haiku-4-5-20251001");

  /** How long one call may take before the answer falls back to the template. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** Retries of a failed call (rate limits, server errors), after the first attempt. */
  public static final int DEFAULT_MAX_RETRIES = 1;

  private final String id;
  private final String defaultBaseUrl;
  private final String defaultModel;

  LlmProvider(String id, String defaultBaseUrl, String defaultModel) {
    this.id = id;
    this.defaultBaseUrl = defaultBaseUrl;
    this.defaultModel = defaultModel;
  }

  /** The name on the command line: {@code openai}, {@code anthropic}. */
  public String id() {
    return id;
  }

  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  public String defaultModel() {
    return defaultModel;
  }

  /** Every provider's id, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(LlmProvider::id).toList();
  }

  /**
   * The provider with this id.
   *
   * @throws IllegalArgumentException naming the accepted ids
   */
  public static LlmProvider parse(String id) {
    String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(p -> p.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown LLM provider '" + id + "'; accepted: " + String.join(", ", ids())));
  }

  /**
   * An answerer that asks this provider, with {@link #DEFAULT_TIMEOUT} and {@link
   * #DEFAULT_MAX_RETRIES}, and falls back to the template answer (see {@link
   * DiagnosticAnswerer#llm}).
   *
   * @param baseUrl the API's base URL, or null for {@link #defaultBaseUrl()}
   * @param modelName the model, or null for {@link #defaultModel()}
   * @param apiKey the API key; never logged
   * @param registry where to count fallbacks, or null
   */
  public DiagnosticAnswerer answerer(
      String baseUrl, String modelName, String apiKey, MeterRegistry registry) {
    return DiagnosticAnswerer.llm(
        chatModel(baseUrl, modelName, apiKey, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES), registry);
  }

  ChatModel chatModel(
      String baseUrl, String modelName, String apiKey, Duration timeout, int maxRetries) {
    Objects.requireNonNull(apiKey, "apiKey");
    String url = baseUrl == null || baseUrl.isBlank() ? defaultBaseUrl : baseUrl;
    String name = modelName == null || modelName.isBlank() ? defaultModel : modelName;
    return switch (this) {
      case OPENAI ->
          OpenAiChatModel.builder()
              .baseUrl(url)
              .apiKey(apiKey)
              .modelName(name)
              .timeout(timeout)
              .maxRetries(maxRetries)
              .build();
      case ANTHROPIC ->
          AnthropicChatModel.builder()
              .baseUrl(url)
              .apiKey(apiKey)
              .modelName(name)
              .timeout(timeout)
              .maxRetries(maxRetries)
              .build();
    };
  }
}
