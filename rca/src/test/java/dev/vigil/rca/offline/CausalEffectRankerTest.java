package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CausalEffectRankerTest {

  @Test
  void adjustingForTheConfounderRecoversTheDirectEffect() {
    Random r = new Random(1);
    int n = 400;
    double[] z = new double[n];
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = r.nextGaussian();
      x[i] = 0.8 * z[i] + r.nextGaussian();
      y[i] = 2 * x[i] + 3 * z[i] + 0.1 * r.nextGaussian();
    }
    assertThat(CausalEffectRanker.effect(y, x, List.of(z)))
        .isCloseTo(2, org.assertj.core.data.Offset.offset(0.05));
    assertThat(CausalEffectRanker.effect(y, x, List.of())).isGreaterThan(3);
  }
}
