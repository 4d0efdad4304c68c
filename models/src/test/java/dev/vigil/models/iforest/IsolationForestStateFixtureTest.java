package dev.vigil.models.iforest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed state {@code state/isolation_forest_v1.json} was written by the first version of
 * {@link IsolationForestState}; every later version must still read it and score as it did.
 */
class IsolationForestStateFixtureTest {

  static Path fixture() throws URISyntaxException {
    return Path.of(
        IsolationForestStateFixtureTest.class
            .getResource("/state/isolation_forest_v1.json")
            .toURI());
  }

  @Test
  void versionOneStateStillLoadsAndScores() throws Exception {
    IsolationForest forest =
        IsolationForestState.read(fixture(), FeatureSchema.SERVICE_LATENCY_ERRORS_RATE);
    assertThat(forest.provenance().trainer()).isEqualTo("isolation_forest");
    assertThat(forest.provenance().codeVersion()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(forest.provenance().trainedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(forest.sampleSize()).isEqualTo(16);
    FeatureVector normal = new FeatureVector(Instant.EPOCH, new double[] {3, 4, 4.5, 0.01, 4});
    FeatureVector slow = new FeatureVector(Instant.EPOCH, new double[] {5.5, 6.5, 7.0, 0.01, 4});
    assertThat(forest.score(slow)).isGreaterThan(forest.score(normal));
    assertThat(forest.score(normal)).isCloseTo(0.4738, org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void refusesAnUnknownVersionWithAClearMessage(@TempDir Path dir) throws Exception {
    Path newer = dir.resolve("newer.json");
    Files.writeString(
        newer, Files.readString(fixture()).replaceFirst("\"version\" : 1", "\"version\" : 99"));
    assertThatThrownBy(
            () -> IsolationForestState.read(newer, FeatureSchema.SERVICE_LATENCY_ERRORS_RATE))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("version 99");
  }

  /** Writes the fixture; run by hand only if the fixture must be recreated from scratch. */
  public static void main(String[] args) throws IOException {
    IsolationForest forest = IsolationForestTest.train(3, 16);
    IsolationForestState.write(forest, Path.of(args[0]));
  }
}
