package dev.vigil.service.cli;

import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.nlq.LlmProvider;
import dev.vigil.nlq.Redactor;
import dev.vigil.service.config.VigilConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options that put a language model behind {@code /api/ask}: {@code --llm
 * openai|anthropic|ollama}, {@code --llm-url URL}, {@code --llm-model NAME}, {@code --llm-redact
 * REGEX} (repeatable: more patterns blanked out of everything sent to the model, besides {@link
 * Redactor#DEFAULT_PATTERNS}), with the API key from {@value #API_KEY_ENV} only (a key on the
 * command line would show in the process list and the shell history). {@code ollama} is the OpenAI
 * protocol at a local Ollama ({@value #OLLAMA_URL} unless {@code --llm-url} says otherwise) and
 * needs no key. Without {@code --llm} questions are answered by the offline template answerer and
 * nothing goes out on the network.
 *
 * @param provider the provider, or null for the offline answerer
 * @param baseUrl the API's base URL (the provider's public one unless given)
 * @param model the model name (the provider's default unless given)
 * @param apiKey the API key, never printed; null for a provider that needs none and got none
 * @param redactor what is blanked out of the prompts and tool results sent to the model
 */
public record LlmOptions(
    LlmProvider provider, String baseUrl, String model, String apiKey, Redactor redactor) {

  /** The environment variable the API key is read from. */
  public static final String API_KEY_ENV = "VIGIL_LLM_API_KEY";

  /** The valued options this class reads, for {@link Args#parse}. */
  public static final Set<String> OPTIONS = Set.of("llm", "llm-url", "llm-model", "llm-redact");

  /** No language model: the offline answerer. */
  public static final LlmOptions NONE = new LlmOptions(null, null, null, null, Redactor.defaults());

  /** The OpenAI-compatible endpoint of a local Ollama. */
  static final String OLLAMA_URL = "http://127.0.0.1:11434/v1";

  /**
   * Reads and checks the options, failing fast with what to do.
   *
   * @param env the environment ({@code System.getenv()}), where the API key is
   */
  public static LlmOptions parse(Args args, Map<String, String> env) throws UsageException {
    if (args.value("llm").isEmpty()) {
      for (String option : new String[] {"llm-url", "llm-model", "llm-redact"}) {
        if (args.value(option).isPresent()) {
          throw new UsageException(
              "--" + option + " needs --llm " + String.join("|", LlmProvider.ids()));
        }
      }
      return NONE;
    }
    String name = args.value("llm").orElseThrow();
    LlmProvider provider;
    try {
      provider = LlmProvider.parse(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--llm must be one of " + String.join(", ", LlmProvider.ids()) + ", got '" + name + "'");
    }
    String url = args.value("llm-url").map(String::strip).orElse(provider.defaultBaseUrl());
    checkUrl(url);
    String model = args.value("llm-model").map(String::strip).orElse(provider.defaultModel());
    if (model.isEmpty()) {
      throw new UsageException("--llm-model needs a model name, e.g. " + provider.defaultModel());
    }
    Redactor redactor;
    try {
      redactor = Redactor.defaultsAnd(args.values("llm-redact"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--llm-redact: " + e.getMessage());
    }
    String key = env.get(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      if (!provider.needsApiKey()) {
        return new LlmOptions(provider, url, model, null, redactor);
      }
      throw new UsageException(
          "--llm "
              + provider.id()
              + " needs the API key in the environment variable "
              + API_KEY_ENV
              + " (export "
              + API_KEY_ENV
              + "=...; or --llm ollama for a local Ollama, which needs none); it is never read"
              + " from the command line");
    }
    return new LlmOptions(provider, url, model, key.strip(), redactor);
  }

  /**
   * From the configuration keys {@code llm.provider} (none, openai, anthropic, ollama), {@code
   * llm.url}, {@code llm.model} and {@code llm.redact}; the key from {@value #API_KEY_ENV}.
   */
  public static LlmOptions fromConfig(VigilConfig config, Map<String, String> env)
      throws UsageException {
    String provider = config.string("llm.provider");
    if (provider.equals("none")) {
      return NONE;
    }
    List<String> argv = new ArrayList<>(List.of("--llm=" + provider));
    config.value("llm.url").ifPresent(u -> argv.add("--llm-url=" + u));
    config.value("llm.model").ifPresent(m -> argv.add("--llm-model=" + m));
    config.lines("llm.redact").forEach(r -> argv.add("--llm-redact=" + r));
    return parse(Args.parse("run", argv, Set.of(), OPTIONS), env);
  }

  private static void checkUrl(String url) throws UsageException {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw new UsageException(
          "--llm-url must be an http(s) URL such as https://api.openai.com/v1, got '" + url + "'");
    }
  }

  public boolean enabled() {
    return provider != null;
  }

  /** The answerer behind {@code /api/ask}: the offline one, or the LLM with template fallback. */
  public DiagnosticAnswerer answerer(MeterRegistry registry) {
    return enabled()
        ? provider.answerer(baseUrl, model, apiKey, redactor, registry)
        : DiagnosticAnswerer.offline();
  }

  /** For people: which answerer, which model, where; never the key. */
  public String describe() {
    return enabled()
        ? provider.id()
            + " model "
            + model
            + " at "
            + baseUrl
            + ", checked against the evidence (the template answer when it is not grounded); "
            + redactor.patterns().size()
            + " redaction patterns"
        : "the offline template answerer";
  }

  @Override
  public String toString() {
    return "LlmOptions[provider="
        + (provider == null ? "none" : provider.id())
        + ", baseUrl="
        + baseUrl
        + ", model="
        + model
        + (apiKey == null ? "" : ", apiKey=***")
        + "]";
  }
}
