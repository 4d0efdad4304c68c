package dev.vigil.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path p = dir.resolve("vigil.yaml");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void defaultsComeFromTheSchema() {
    VigilConfig c = VigilConfig.defaults();
    assertThat(c.string("kafka.topics.spans")).isEqualTo("otlp_spans");
    assertThat(c.duration("windows.size")).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.value("kafka.bootstrap-servers")).isEmpty();
    assertThat(c.source("kafka.topics.spans")).isEqualTo("default");
    assertThat(c.monitor()).isEqualTo(dev.vigil.models.MonitorConfig.defaults());
    assertThat(c.features()).isEqualTo(dev.vigil.features.FeatureConfig.defaults());
  }

  @Test
  void fileThenEnvironmentThenFlagsInRisingPrecedence() throws Exception {
    Path f =
        yaml(
            """
            kafka:
              bootstrap-servers: [a:9092, b:9092]
              application-id: from-file
              topics: {spans: traces-in}
              properties:
                security.protocol: SSL
            windows: {size: 5s}
            http: {port: 9000}
            """);
    VigilConfig c =
        ConfigLoader.builder()
            .file(f)
            .env(
                Map.of(
                    "VIGIL_KAFKA_APPLICATION_ID", "from-env",
                    "VIGIL_HTTP_PORT", "9001",
                    "VIGIL_KAFKA_PROPERTIES_SASL_MECHANISM", "PLAIN",
                    "VIGIL_LLM_API_KEY", "secret",
                    "PATH", "/usr/bin"))
            .flag("http.port", "9002")
            .load();
    assertThat(c.string("kafka.bootstrap-servers")).isEqualTo("a:9092,b:9092");
    assertThat(c.string("kafka.application-id")).isEqualTo("from-env");
    assertThat(c.source("kafka.application-id"))
        .isEqualTo("environment VIGIL_KAFKA_APPLICATION_ID");
    assertThat(c.string("kafka.topics.spans")).isEqualTo("traces-in");
    assertThat(c.intValue("http.port")).isEqualTo(9002);
    assertThat(c.duration("windows.size")).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.kafkaProperties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(c.overrides().toString()).doesNotContain("secret");
  }

  @Test
  void predictiveSettingsAreReadOrRefusedWithWhatIsValid() {
    // Off by default (a noisy forecaster; the demo turns it on for a ramp fault).
    assertThat(VigilConfig.defaults().predictive()).isEmpty();
    assertThat(ConfigLoader.builder().flag("predictive.enabled", "true").load().predictive())
        .contains(
            new PredictiveConfig(
                30, List.of(dev.vigil.models.ServiceFeatureSchema.Feature.P95_LATENCY)));
    assertThatThrownBy(
            () ->
                ConfigLoader.builder()
                    .flag("predictive.enabled", "true")
                    .flag("predictive.horizon", "15s")
                    .load()
                    .predictive())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("predictive.horizon must be a positive multiple of windows.size");
    assertThatThrownBy(
            () ->
                ConfigLoader.builder()
                    .flag("predictive.enabled", "true")
                    .flag("predictive.series", "p95,p50_latency")
                    .load()
                    .predictive())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'p95' is not a latency series")
        .hasMessageContaining("p95_latency");
    assertThat(
            ConfigLoader.builder()
                .flag("predictive.training-sequences", "4096")
                .load()
                .predictiveSettings()
                .trainingSequences())
        .isEqualTo(4096);
    assertThatThrownBy(
            () ->
                ConfigLoader.builder()
                    .flag("predictive.training-sequences", "0")
                    .load()
                    .predictiveSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("predictive.training-sequences must be at least 1, got 0")
        .hasMessageContaining("the default is 16384");
  }

  @Test
  void unknownKeyIsRefusedWithItsNameAHintAndTheValidKeys() throws Exception {
    Path f = yaml("kafka:\n  bootstrap-server: a:9092\n");
    assertThatThrownBy(() -> ConfigLoader.builder().file(f).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key 'kafka.bootstrap-server'")
        .hasMessageContaining("did you mean 'kafka.bootstrap-servers'")
        .hasMessageContaining("windows.size");
  }

  @Test
  void unknownEnvironmentVariableAndKafkaPropertyAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.builder().env(Map.of("VIGIL_HTTP_PROT", "1")).load())
        .hasMessageContaining("unknown environment variable VIGIL_HTTP_PROT")
        .hasMessageContaining("VIGIL_HTTP_PORT");
    assertThatThrownBy(
            () -> ConfigLoader.builder().flag("kafka.properties.security.protocl", "SSL").load())
        .hasMessageContaining("'security.protocl'")
        .hasMessageContaining("did you mean 'security.protocol'");
  }

  @Test
  void badValuesSayWhatIsValid() {
    assertThatThrownBy(() -> ConfigLoader.builder().flag("http.port", "70000").load())
        .hasMessageContaining("'http.port' (flag) must be a port between 0 (off) and 65535");
    assertThatThrownBy(() -> ConfigLoader.builder().flag("kafka.encoding", "avro").load())
        .hasMessageContaining("one of auto, otlp_proto, otlp_json");
    assertThatThrownBy(() -> ConfigLoader.builder().flag("windows.size", "ten").load())
        .hasMessageContaining("a duration such as 500ms");
    assertThatThrownBy(() -> VigilConfig.defaults().string("kafka.bootstrap-servers"))
        .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void everyKeyHasAnEnvironmentNameThatMapsBack() {
    for (ConfigKey k : ConfigSchema.keys()) {
      assertThat(ConfigSchema.keyOfEnv(ConfigSchema.envName(k.name()))).contains(k.name());
    }
  }
}
