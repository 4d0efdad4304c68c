package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainCommandTest {

  @Test
  void retrainsEveryServiceOfARecordedHistoryAndPromotesOnlyWhatBeatsTheModelInUse(
      @TempDir Path dir) throws Exception {
    Path history = dir.resolve("history");
    Path models = dir.resolve("models");
    assertThat(
            RecordCommand.run(
                List.of("--out", history.toString(), "--duration", "40m", "--seed", "3")))
        .isZero();
    List<String> retrain =
        List.of(
            "--input", history.toString(), "--registry", models.toString(), "--min-windows", "60");
    assertThat(RetrainCommand.run(retrain)).isZero();
    ModelRegistry registry = ModelRegistry.directory(models);
    List<RegisteredModel> first =
        registry.current().stream().filter(m -> !m.isForecaster()).toList();
    // Which services get a model depends on the candidates beating the false-alarm bar.
    assertThat(first).isNotEmpty();
    // The forecaster of the predictive alerts, one for every service, with its figures.
    RegisteredModel lstm = registry.current(RegisteredModel.ALL_SERVICES).orElseThrow();
    assertThat(lstm.kind()).isEqualTo(RegisteredModel.LSTM_FORECASTER);
    assertThat(lstm.version()).isEqualTo(1);
    assertThat(lstm.reason()).startsWith("no forecaster in use: ramps alerted");
    assertThat(lstm.evaluation())
        .containsKeys("rampRecall", "meanLeadWindows", "falseAlerts", "mae", "naiveMae");
    assertThat(lstm.evaluation().get("series")).isGreaterThanOrEqualTo(first.size());
    assertThat(lstm.provenance().trainer()).isEqualTo("lstm_increment_forecaster");
    assertThat(lstm.provenance().dataStart()).isAfterOrEqualTo(RecordCommand.DEFAULT_START);
    assertThat(lstm.provenance().dataEnd()).isBefore(RecordCommand.DEFAULT_START.plusSeconds(2400));
    for (RegisteredModel m : first) {
      assertThat(m.version()).isEqualTo(1);
      assertThat(m.provenance().dataStart()).isAfterOrEqualTo(RecordCommand.DEFAULT_START);
      assertThat(m.evaluation()).containsKeys("f1", "recall", "falseAlarmRate");
      assertThat(m.tribuoProvenance()).contains("tribuo-version");
    }
    // The same history again: the models in use (the forecaster too: the same seed trains the same
    // network) are as good, nothing is promoted.
    assertThat(RetrainCommand.run(retrain)).isZero();
    assertThat(registry.current()).allSatisfy(m -> assertThat(m.version()).isEqualTo(1));
  }

  @Test
  void saysWhatIsMissing() throws Exception {
    assertThatThrownBy(() -> RetrainCommand.run(List.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--input");
    assertThatThrownBy(
            () ->
                RetrainCommand.run(
                    List.of("--bootstrap-servers", "127.0.0.1:9", "--from", "yesterday"),
                    Map.of(),
                    Clock.systemUTC()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--from 'yesterday' is not a time")
        .hasMessageContaining("-2h")
        .hasMessageContaining("2026-03-02T09:00:00Z");
    assertThatThrownBy(
            () -> RetrainCommand.run(List.of("--from", "-1h"), Map.of(), Clock.systemUTC()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--bootstrap-servers");
    assertThatThrownBy(
            () ->
                RetrainCommand.run(
                    List.of("--input", "x", "--from", "-1h"), Map.of(), Clock.systemUTC()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("not both");
    Instant now = Instant.parse("2026-03-02T12:00:00Z");
    assertThat(TimeArgument.parse("from", "-90m", now)).isEqualTo(now.minusSeconds(5400));
    assertThat(TimeArgument.parse("from", "now-2d", now)).isEqualTo(now.minusSeconds(172800));
    assertThat(TimeArgument.parse("to", "2026-03-02T10:00:00+01:00", now))
        .isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
    assertThat(TimeArgument.parse("to", "2026-03-01", now))
        .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThatThrownBy(
            () ->
                RetrainCommand.run(
                    List.of("--bootstrap-servers", "127.0.0.1:9", "--from", "now", "--to", "-1h"),
                    Map.of(),
                    Clock.systemUTC()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("must be before --to");
    assertThatThrownBy(() -> RecordCommand.run(List.of("--out", "x", "--duration", "soon")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("6h");
  }
}
