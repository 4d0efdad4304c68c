package dev.vigil.trainingdata.nezha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TopKAccuracyTest {

  @Test
  void computesAcAtKAndAvgAt5AsRcaEvalDoes() {
    List<TopKAccuracy.Outcome> outcomes =
        List.of(
            new TopKAccuracy.Outcome("cpu", "a", List.of("a", "b")),
            new TopKAccuracy.Outcome("cpu", "b", List.of("a", "a", "b")),
            new TopKAccuracy.Outcome("net", "c", List.of("a", "b", "d", "e", "f", "c")),
            new TopKAccuracy.Outcome("net", "d", List.of()));
    assertThat(outcomes.get(1).rank()).as("duplicates are dropped, keeping the first").isEqualTo(2);
    TopKAccuracy.Score s = TopKAccuracy.score(outcomes);
    assertThat(s.ac(1)).isEqualTo(0.25);
    assertThat(s.ac(2)).isEqualTo(0.5);
    assertThat(s.ac(5)).isEqualTo(0.5);
    assertThat(s.avgAt5()).isCloseTo((0.25 + 0.5 * 4) / 5, Offset.offset(1e-12));
    assertThat(TopKAccuracy.byGroup(outcomes).get("cpu").ac(2)).isEqualTo(1.0);
  }
}
