package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.nlq.DiagnosticContext;
import dev.vigil.nlq.LlmProvider;
import dev.vigil.nlq.Redactor;
import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.config.VigilConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --llm}, {@code --llm-url}, {@code --llm-model} and the key from the environment. */
class LlmOptionsTest {
  private static final Map<String, String> WITH_KEY = Map.of(LlmOptions.API_KEY_ENV, "sk-test");

  private static LlmOptions parse(Map<String, String> env, String... argv) throws UsageException {
    return LlmOptions.parse(Args.parse("demo", List.of(argv), Set.of(), LlmOptions.OPTIONS), env);
  }

  @Test
  void withoutLlmTheAnswererIsOfflineAndNoKeyIsNeeded() throws Exception {
    LlmOptions o = parse(Map.of());
    assertThat(o.enabled()).isFalse();
    assertThat(o.describe()).contains("offline template answerer");
  }

  @Test
  void eachProviderHasADefaultUrlAndModel() throws Exception {
    LlmOptions openai = parse(WITH_KEY, "--llm", "openai");
    assertThat(openai.provider()).isEqualTo(LlmProvider.OPENAI);
    assertThat(openai.baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(openai.model()).isEqualTo(LlmProvider.OPENAI.defaultModel());
    assertThat(openai.apiKey()).isEqualTo("sk-test");

    LlmOptions anthropic = parse(WITH_KEY, "--llm=anthropic");
    assertThat(anthropic.provider()).isEqualTo(LlmProvider.ANTHROPIC);
    assertThat(anthropic.baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    assertThat(anthropic.model()).isEqualTo(LlmProvider.ANTHROPIC.defaultModel());
  }

  @Test
  void urlAndModelCanBeGiven() throws Exception {
    LlmOptions o =
        parse(
            WITH_KEY,
            "--llm",
            "openai",
            "--llm-url",
            "http://127.0.0.1:11434/v1",
            "--llm-model",
            "qwen2.5:7b");
    assertThat(o.baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(o.model()).isEqualTo("qwen2.5:7b");
  }

  @Test
  void aBadProviderListsTheAcceptedOnes() {
    assertThatThrownBy(() -> parse(WITH_KEY, "--llm", "gemini"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--llm must be one of openai, anthropic, ollama, got 'gemini'");
  }

  @Test
  void aMissingKeySaysWhichVariableToSet() {
    assertThatThrownBy(() -> parse(Map.of(), "--llm", "openai"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(
            "--llm openai needs the API key in the environment variable VIGIL_LLM_API_KEY");
    assertThatThrownBy(() -> parse(Map.of(LlmOptions.API_KEY_ENV, "  "), "--llm", "anthropic"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(
            "--llm anthropic needs the API key in the environment variable VIGIL_LLM_API_KEY");
  }

  @Test
  void theKeyIsNotACommandLineOption() {
    assertThatThrownBy(() -> parse(Map.of(), "--llm", "openai", "--llm-api-key", "sk-x"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown option --llm-api-key");
  }

  @Test
  void aBadUrlOrAnEmptyModelIsRefused() {
    assertThatThrownBy(() -> parse(WITH_KEY, "--llm", "openai", "--llm-url", "localhost:11434"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--llm-url must be an http(s) URL")
        .hasMessageContaining("'localhost:11434'");
    assertThatThrownBy(() -> parse(WITH_KEY, "--llm", "openai", "--llm-model="))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--llm-model needs a model name");
  }

  @Test
  void urlOrModelWithoutLlmIsAMistake() {
    assertThatThrownBy(() -> parse(WITH_KEY, "--llm-model", "gpt-4.1"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--llm-model needs --llm openai|anthropic|ollama");
  }

  @Test
  void theKeyIsNeverPrinted() throws Exception {
    LlmOptions o = parse(WITH_KEY, "--llm", "openai");
    assertThat(o.toString()).doesNotContain("sk-test").contains("apiKey=***");
    assertThat(o.describe()).doesNotContain("sk-test").contains("openai model gpt-4.1-mini");
  }

  @Test
  void ollamaIsALocalPresetThatNeedsNoKey() throws Exception {
    LlmOptions o = parse(Map.of(), "--llm", "ollama", "--llm-model", "qwen2.5:7b");
    assertThat(o.provider()).isEqualTo(LlmProvider.OLLAMA);
    assertThat(o.baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(o.model()).isEqualTo("qwen2.5:7b");
    assertThat(o.apiKey()).isNull();
    assertThat(parse(Map.of(), "--llm", "ollama").model())
        .isEqualTo(LlmProvider.OLLAMA.defaultModel());
    assertThat(parse(Map.of(), "--llm", "ollama", "--llm-url", "http://gpu-box:11434/v1").baseUrl())
        .isEqualTo("http://gpu-box:11434/v1");
  }

  @Test
  void redactionPatternsAddToTheDefaultsAndABadOneSaysWhy() throws Exception {
    LlmOptions o =
        parse(WITH_KEY, "--llm", "openai", "--llm-redact", "tenant-\\d+", "--llm-redact=cust_\\w+");
    assertThat(o.redactor().patterns())
        .containsAll(Redactor.DEFAULT_PATTERNS)
        .endsWith("tenant-\\d+", "cust_\\w+");
    assertThat(o.redactor().redact("org tenant-42 user cust_ab12 at a@b.example"))
        .isEqualTo("org [REDACTED] user [REDACTED] at [REDACTED]");
    assertThatThrownBy(() -> parse(WITH_KEY, "--llm", "openai", "--llm-redact", "tenant-(\\d+"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--llm-redact: redaction pattern 'tenant-(\\d+'")
        .hasMessageContaining("Unclosed group");
    assertThatThrownBy(() -> parse(WITH_KEY, "--llm-redact", "x"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--llm-redact needs --llm openai|anthropic|ollama");
  }

  @Test
  void theConfigurationKeysGiveTheSameOptions(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("vigil.yaml");
    Files.writeString(
        yaml,
        """
        llm:
          provider: ollama
          model: qwen2.5:7b
          redact:
            - "tenant-\\\\d{1,6}"
            - "cust_\\\\w+"
        """);
    VigilConfig config = ConfigLoader.builder().file(yaml).load();
    LlmOptions o = LlmOptions.fromConfig(config, Map.of());
    assertThat(o.provider()).isEqualTo(LlmProvider.OLLAMA);
    assertThat(o.baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(o.redactor().patterns()).endsWith("tenant-\\d{1,6}", "cust_\\w+");

    Files.writeString(yaml, "llm:\n  provider: openai\n  redact: [\"tenant-(\\\\d+\"]\n");
    assertThatThrownBy(() -> ConfigLoader.builder().file(yaml).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("configuration key 'llm.redact' (file " + yaml + ")")
        .hasMessageContaining("'tenant-(\\d+', which is not a valid Java regular expression")
        .hasMessageContaining("Unclosed group");
    assertThatThrownBy(
            () -> ConfigLoader.builder().env(Map.of("VIGIL_LLM_REDACT", "ok\n[a-")).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("(environment VIGIL_LLM_REDACT) holds '[a-'");
  }

  /**
   * Everything the answerer configured from the keys sends, to a local server standing in for
   * Ollama (the OpenAI protocol) that records it: the configured and built-in patterns are masked.
   */
  @Test
  void whatLeavesTheProcessIsRedacted(@TempDir Path dir) throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out =
                ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"No incident.\"},\"finish_reason\":\"stop\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
          }
        });
    server.start();
    try {
      Path yaml = dir.resolve("vigil.yaml");
      Files.writeString(
          yaml,
          "llm:\n  provider: ollama\n  url: http://127.0.0.1:"
              + server.getAddress().getPort()
              + "/v1\n  redact: [\"tenant-\\\\d+\"]\n");
      LlmOptions o = LlmOptions.fromConfig(ConfigLoader.builder().file(yaml).load(), Map.of());
      Instant now = Instant.parse("2026-11-25T10:00:00Z");
      DiagnosticContext state = new DiagnosticContext(now, Set.of("frontend"), List.of(), Map.of());

      o.answerer(null)
          .answer("why is frontend slow for tenant-42 and bob@corp.example from 10.1.2.3?", state);

      assertThat(bodies).isNotEmpty();
      for (String body : bodies) {
        assertThat(body)
            .doesNotContain("tenant-42", "bob@corp.example", "10.1.2.3")
            .contains(Redactor.MASK);
      }
    } finally {
      server.stop(0);
    }
  }
}
