package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.features.LogFeatures.MessageCount;
import dev.vigil.telemetry.MetricPoint;
import dev.vigil.telemetry.Resource;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HistogramBucketsTest {

  private static MetricPoint.ExponentialHistogram exponential(
      int scale, long zero, int offset, List<Long> positive, int negOffset, List<Long> negative) {
    long count =
        zero
            + positive.stream().mapToLong(Long::longValue).sum()
            + negative.stream().mapToLong(Long::longValue).sum();
    return new MetricPoint.ExponentialHistogram(
        Resource.ofService("cart"),
        "latency",
        "s",
        Map.of(),
        1,
        2,
        count,
        0,
        scale,
        zero,
        offset,
        positive,
        negOffset,
        negative,
        MetricPoint.Temporality.DELTA,
        List.of());
  }

  @Test
  void mergingDownscalesToTheSmallerScale() {
    // Scale 2: indexes 4..7 cover (2, 4]; at scale 0 they are all index 1.
    ExponentialBuckets fine =
        ExponentialBuckets.of(exponential(2, 0, 4, List.of(1L, 1L, 1L, 1L), 0, List.of()));
    ExponentialBuckets coarse =
        ExponentialBuckets.of(exponential(0, 0, 1, List.of(2L), 0, List.of()));
    fine.add(coarse);
    assertThat(fine.scale()).isZero();
    assertThat(fine.total()).isEqualTo(6);
    // All six in (2, 4]: the median interpolates log-linearly to 2^1.5.
    assertThat(fine.quantile(0.5)).isCloseTo(Math.pow(2, 1.5), within(1e-12));
    // Negative index -8..-5 at scale 3 downscale to -1 at scale 0 (arithmetic shift).
    ExponentialBuckets negative =
        ExponentialBuckets.of(exponential(3, 0, -8, List.of(1L, 0L, 0L, 1L), 0, List.of()));
    negative.downscaleTo(0);
    assertThat(negative.quantile(1)).isCloseTo(1, within(1e-12)); // (0.5, 1]
  }

  @Test
  void quantilesOrderNegativesZeroAndPositives() {
    // One value in [-4, -2), two zeros, one in (2, 4] at scale 0.
    ExponentialBuckets b = ExponentialBuckets.of(exponential(0, 2, 1, List.of(1L), 1, List.of(1L)));
    assertThat(b.quantile(0.25)).isCloseTo(-2, within(1e-12));
    assertThat(b.quantile(0.1)).isBetween(-4.0, -2.0);
    assertThat(b.quantile(0.5)).isZero();
    assertThat(b.quantile(1)).isCloseTo(4, within(1e-12));
  }

  @Test
  void aCountThatWentDownIsNoDifference() {
    ExponentialBuckets earlier =
        ExponentialBuckets.of(exponential(1, 0, 0, List.of(5L, 5L), 0, List.of()));
    ExponentialBuckets later =
        ExponentialBuckets.of(exponential(0, 0, 0, List.of(12L), 0, List.of()));
    ExponentialBuckets difference = later.minus(earlier);
    assertThat(difference.total()).isEqualTo(2);
    assertThat(difference.scale()).isZero();
    assertThat(earlier.minus(later)).isNull();
  }

  @Test
  void explicitQuantilesFollowPrometheus() {
    List<Double> bounds = List.of(0.0, 10.0, 20.0);
    assertThat(ExplicitBuckets.quantile(0.5, bounds, new long[] {4, 0, 0, 0})).isZero();
    assertThat(ExplicitBuckets.quantile(0.5, bounds, new long[] {0, 4, 0, 0})).isEqualTo(5.0);
    assertThat(ExplicitBuckets.quantile(0.99, bounds, new long[] {0, 0, 1, 9})).isEqualTo(20.0);
    assertThat(ExplicitBuckets.quantile(0.5, bounds, new long[] {0, 0, 0, 0})).isNaN();
    assertThat(ExplicitBuckets.quantile(0.5, List.of(), new long[] {3})).isNaN();
  }

  @Test
  void messagesAreCountedByTemplateInBoundedMemory() {
    MessageTemplateCounter counter = new MessageTemplateCounter();
    IntStream.range(0, 50).forEach(i -> counter.add("timeout after " + i + " ms"));
    // More distinct one-off messages than counters: the frequent template survives.
    IntStream.range(0, 100)
        .forEach(i -> counter.add("unique " + (char) ('a' + i % 26) + (char) ('a' + i / 26)));
    assertThat(counter.top(1)).containsExactly(new MessageCount("timeout after <n> ms", 50));
    assertThat(MessageTemplateCounter.template("  ")).isEqualTo("<empty>");
    assertThat(MessageTemplateCounter.template("x".repeat(500)))
        .hasSize(MessageTemplateCounter.MAX_LENGTH);
  }
}
