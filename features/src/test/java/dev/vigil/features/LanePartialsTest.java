package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanePartialsTest {
  @Test
  void assignedLaneThatSendsClosesWindows() {
    SpanFeatureAggregator a = new SpanFeatureAggregator(FeatureConfig.defaults());
    a.lanesAssigned(List.of("0"));
    List<WindowPartial> out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      out.addAll(
          a.acceptPartials(
              "0",
              SpanFeatureAggregatorTest.trace(String.format("%032x", i + 1), i * 100L, false)));
    }
    assertThat(a.stats().traces()).as("%s", a.stats()).isPositive();
    assertThat(out).isNotEmpty();
  }
}
