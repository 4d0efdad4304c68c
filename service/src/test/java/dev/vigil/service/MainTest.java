package dev.vigil.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Bad command lines exit with status 2 and say what is wrong and what is valid. */
@Isolated
class MainTest {

  private static String[] run(String... argv) {
    PrintStream err = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(List.of(argv));
      return new String[] {String.valueOf(code), buffer.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void anUnknownCommandNamesTheCommands() {
    String[] r = run("frob");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1])
        .contains("unknown command 'frob'")
        .contains("demo", "ask", "analyze", "evaluate");
  }

  @Test
  void aBadFaultNamesTheServices() {
    String[] r = run("demo", "--fault", "latency:nope");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("unknown service 'nope'").contains("catalog", "cart-db");
  }

  @Test
  void anOutOfRangeValueSaysTheRange() {
    String[] r = run("demo", "--seconds", "5");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--seconds must be between 30 and 86400, got 5");
  }

  @Test
  void aBadLlmProviderNamesTheAcceptedOnes() {
    String[] r = run("demo", "--llm", "gemini");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--llm must be one of openai, anthropic, ollama, got 'gemini'");
  }

  @Test
  void theUsageNamesTheDefaultLlmModels() {
    for (dev.vigil.nlq.LlmProvider p : dev.vigil.nlq.LlmProvider.values()) {
      assertThat(Main.USAGE).contains(p.defaultModel(), p.defaultBaseUrl(), "VIGIL_LLM_API_KEY");
    }
  }

  @Test
  void anUnknownOptionListsTheValidOnes() {
    String[] r = run("demo", "--sconds", "60");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("unknown option --sconds").contains("--seconds");
  }

  @Test
  void helpAfterACommandPrintsThatCommandsUsageOnly() {
    PrintStream out = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run(List.of("demo", "--seconds", "60", "--help"));
    } finally {
      System.setOut(out);
    }
    String printed = buffer.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(printed).contains("usage: vigil demo", "--fault-minutes", "--llm-model");
    assertThat(printed).doesNotContain("--bootstrap-servers host:port", "nab --data");
  }

  @Test
  void everyCommandHasItsUsage() {
    for (String command : Main.COMMANDS) {
      assertThat(Main.usageOf(command)).as(command).isNotBlank().startsWith("  " + command);
    }
    assertThat(Main.usageOf("frob")).isNull();
    assertThat(run("help", "frob")[0]).isEqualTo("2");
  }
}
