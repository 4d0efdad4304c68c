package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.nlq.LlmProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
        .hasMessage("--llm must be one of openai, anthropic, got 'gemini'");
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
        .hasMessage("--llm-model needs --llm openai|anthropic");
  }

  @Test
  void theKeyIsNeverPrinted() throws Exception {
    LlmOptions o = parse(WITH_KEY, "--llm", "openai");
    assertThat(o.toString()).doesNotContain("sk-test").contains("apiKey=***");
    assertThat(o.describe()).doesNotContain("sk-test").contains("openai model gpt-4.1-mini");
  }
}
