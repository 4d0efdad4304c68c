package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import java.nio.file.Path;
import java.util.List;
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
    List<RegisteredModel> first = registry.current();
    // Which services get a model depends on the candidates beating the false-alarm bar.
    assertThat(first).isNotEmpty();
    for (RegisteredModel m : first) {
      assertThat(m.version()).isEqualTo(1);
      assertThat(m.provenance().dataStart()).isAfterOrEqualTo(RecordCommand.DEFAULT_START);
      assertThat(m.evaluation()).containsKeys("f1", "recall", "falseAlarmRate");
      assertThat(m.tribuoProvenance()).contains("tribuo-version");
    }
    // The same history again: the models in use are as good, nothing is promoted.
    assertThat(RetrainCommand.run(retrain)).isZero();
    assertThat(registry.current()).allSatisfy(m -> assertThat(m.version()).isEqualTo(1));
  }

  @Test
  void saysWhatIsMissing() {
    assertThatThrownBy(() -> RetrainCommand.run(List.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--input");
    assertThatThrownBy(() -> RecordCommand.run(List.of("--out", "x", "--duration", "soon")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("6h");
  }
}
