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
 * also reaches compatible servers (vLLM, LM Studio) given their base URL; {@link #OLLAMA} is that
 * protocol at a local Ollama's OpenAI-compatible endpoint ({@code /v1}), which needs no API key.
 */
public enum LlmProvider {
  OPENAI("openai", "https://api.openai.com/v1", "gpt-4.1-mini"),
  ANTHROPIC("anthropic", "https://api.anthropic.com/v1", "claude-haiku-4-5-20251001"),
  OLLAMA("ollama", "http://127.0.0.1:11434/v1", "llama3.1");

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

  /** The name on the command line: {@code openai}, {@code anthropic}, {@code ollama}. */
  public String id() {
    return id;
  }

  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  public String defaultModel() {
    return defaultModel;
  }

  /** Whether calls need an API key (a local Ollama takes none). */
  public boolean needsApiKey() {
    return this != OLLAMA;
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
   * @param apiKey the API key, never logged; may be null when {@link #needsApiKey()} is false
   * @param redactor what is blanked out of everything sent to the model
   * @param registry where to count fallbacks, or null
   */
  public DiagnosticAnswerer answerer(
      String baseUrl, String modelName, String apiKey, Redactor redactor, MeterRegistry registry) {
    return new LlmAnswerer(
        chatModel(baseUrl, modelName, apiKey, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES),
        registry,
        redactor);
  }

  ChatModel chatModel(
      String baseUrl, String modelName, String apiKey, Duration timeout, int maxRetries) {
    if (needsApiKey()) {
      Objects.requireNonNull(apiKey, "apiKey");
    }
    String url = baseUrl == null || baseUrl.isBlank() ? defaultBaseUrl : baseUrl;
    String name = modelName == null || modelName.isBlank() ? defaultModel : modelName;
    return switch (this) {
      case OPENAI, OLLAMA ->
          OpenAiChatModel.builder()
              .baseUrl(url)
              // Ollama ignores the key, but the client sends one.
              .apiKey(apiKey == null || apiKey.isBlank() ? "ollama" : apiKey)
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
