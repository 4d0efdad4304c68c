package dev.vigil.service.cli;

import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.nlq.LlmProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;

/**
 * The options that put a language model behind {@code /api/ask}: {@code --llm openai|anthropic},
 * {@code --llm-url URL}, {@code --llm-model NAME}, with the API key from {@value #API_KEY_ENV} only
 * (a key on the command line would show in the process list and the shell history). Without {@code
 * --llm} questions are answered by the offline template answerer and nothing goes out on the
 * network.
 *
 * @param provider the provider, or null for the offline answerer
 * @param baseUrl the API's base URL (the provider's public one unless given)
 * @param model the model name (the provider's default unless given)
 * @param apiKey the API key; never printed
 */
public record LlmOptions(LlmProvider provider, String baseUrl, String model, String apiKey) {

  /** The environment variable the API key is read from. */
  public static final String API_KEY_ENV = "VIGIL_LLM_API_KEY";

  /** The valued options this class reads, for {@link Args#parse}. */
  public static final Set<String> OPTIONS = Set.of("llm", "llm-url", "llm-model");

  /** No language model: the offline answerer. */
  public static final LlmOptions NONE = new LlmOptions(null, null, null, null);

  /**
   * Reads and checks the options, failing fast with what to do.
   *
   * @param env the environment ({@code System.getenv()}), where the API key is
   */
  public static LlmOptions parse(Args args, Map<String, String> env) throws UsageException {
    if (args.value("llm").isEmpty()) {
      for (String option : new String[] {"llm-url", "llm-model"}) {
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
    String key = env.get(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new UsageException(
          "--llm "
              + provider.id()
              + " needs the API key in the environment variable "
              + API_KEY_ENV
              + " (export "
              + API_KEY_ENV
              + "=...; any value for a local server that needs none); it is never read from"
              + " the command line");
    }
    return new LlmOptions(provider, url, model, key.strip());
  }

  /**
   * From the configuration keys {@code llm.provider} (none, openai, anthropic, ollama: the OpenAI
   * protocol at a local Ollama), {@code llm.url} and {@code llm.model}; the key from {@value
   * #API_KEY_ENV}.
   */
  public static LlmOptions fromConfig(
      dev.vigil.service.config.VigilConfig config, Map<String, String> env) throws UsageException {
    String provider = config.string("llm.provider");
    if (provider.equals("none")) {
      return NONE;
    }
    java.util.List<String> argv = new java.util.ArrayList<>();
    argv.add("--llm");
    argv.add(provider.equals("ollama") ? "openai" : provider);
    String url = config.value("llm.url").orElse(provider.equals("ollama") ? OLLAMA_URL : null);
    if (url != null) {
      argv.add("--llm-url");
      argv.add(url);
    }
    config
        .value("llm.model")
        .ifPresent(
            m -> {
              argv.add("--llm-model");
              argv.add(m);
            });
    Map<String, String> withKey = new java.util.HashMap<>(env);
    if (provider.equals("ollama")) {
      withKey.putIfAbsent(API_KEY_ENV, "ollama"); // a local Ollama needs no key
    }
    return parse(Args.parse("run", argv, java.util.Set.of(), OPTIONS), withKey);
  }

  /** The OpenAI-compatible endpoint of a local Ollama. */
  static final String OLLAMA_URL = "http://127.0.0.1:11434/v1";

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
        ? provider.answerer(baseUrl, model, apiKey, registry)
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
            + ", checked against the evidence (the template answer when it is not grounded)"
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
