package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.SpanRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowPartialTest {
  private static final long MS = 1_000_000L;

  private static FeatureConfig config() {
    return new FeatureConfig(
        Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000);
  }

  /**
   * The same traces through one aggregator, and split by trace id over three aggregators whose
   * partials travel as bytes and are merged: the same windows (counts, errors, every quantile,
   * slowest traces; error exemplars are a first-three and may be other traces of the window).
   */
  @Test
  void partialsOfTraceKeyedPartsMergeIntoTheWindowsOfTheWhole() {
    Random random = new Random(7);
    List<List<SpanRecord>> traces = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String id = String.format("%032x", i + 1);
      List<SpanRecord> trace =
          SpanFeatureAggregatorTest.trace(id, i * 10L + random.nextInt(5), random.nextInt(20) == 0);
      traces.add(trace);
    }
    SpanFeatureAggregator whole = new SpanFeatureAggregator(config());
    List<WindowFeatures> expected = new ArrayList<>();
    SpanFeatureAggregator[] parts = new SpanFeatureAggregator[3];
    List<List<WindowPartial>> partials = new ArrayList<>();
    for (int p = 0; p < parts.length; p++) {
      parts[p] = new SpanFeatureAggregator(config());
      partials.add(new ArrayList<>());
    }
    for (int i = 0; i < traces.size(); i++) {
      expected.addAll(whole.accept(traces.get(i)));
      int p = i % parts.length;
      partials.get(p).addAll(parts[p].acceptPartials("p" + p, traces.get(i)));
    }
    expected.addAll(whole.flush());
    for (int p = 0; p < parts.length; p++) {
      partials.get(p).addAll(parts[p].flushPartials());
    }
    assertThat(expected).hasSizeGreaterThan(2);
    for (int w = 0; w < expected.size(); w++) {
      WindowFeatures want = expected.get(w);
      WindowPartial merged = null;
      for (List<WindowPartial> part : partials) {
        WindowPartial travelled = WindowPartial.fromBytes(part.get(w).toBytes());
        assertThat(travelled.start()).isEqualTo(want.start());
        merged = merged == null ? travelled : merged.merge(travelled);
      }
      WindowFeatures got = merged.close();
      assertThat(got.services().keySet()).isEqualTo(want.services().keySet());
      want.services()
          .forEach(
              (name, f) -> {
                ServiceFeatures g = got.services().get(name);
                assertThat(g.requests()).isEqualTo(f.requests());
                assertThat(g.errors()).isEqualTo(f.errors());
                assertThat(g.p50Millis()).isEqualTo(f.p50Millis());
                assertThat(g.p95Millis()).isEqualTo(f.p95Millis());
                assertThat(g.p99Millis()).isEqualTo(f.p99Millis());
              });
      assertThat(got.operations()).hasSameSizeAs(want.operations());
      assertThat(got.edges()).isEqualTo(want.edges());
    }
  }

  @Test
  void bytesOfAnotherFormatAreRefused() {
    byte[] bytes = WindowPartial.empty(java.time.Instant.EPOCH, Duration.ofSeconds(10)).toBytes();
    bytes[0] = 9;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WindowPartial.fromBytes(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 9");
  }
}
