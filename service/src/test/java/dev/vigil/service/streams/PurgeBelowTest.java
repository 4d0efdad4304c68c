package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PurgeBelowTest {
  private static final TopicPartition A = new TopicPartition("vigil-spans-by-trace", 0);
  private static final TopicPartition B = new TopicPartition("vigil-spans-by-trace", 1);
  private static final TopicPartition C = new TopicPartition("vigil-window-partials", 0);

  @Test
  void keepsTheRecentRecordsEvenWhenTheyWereProcessed() {
    // A: processed up to 900, records since the kept period began from 700: delete below 700.
    // B: processed up to 300 only: delete below 300 (nothing unprocessed goes).
    // C: nothing written in the kept period (-1): everything processed goes.
    Map<TopicPartition, Long> below =
        VigilStreams.purgeBelow(
            Map.of(A, 900L, B, 300L, C, 50L), Map.of(A, 700L, B, 650L, C, -1L), Map.of());
    assertThat(below).containsOnly(Map.entry(A, 700L), Map.entry(B, 300L), Map.entry(C, 50L));
  }

  @Test
  void deletesNothingWhereNothingWasProcessedOrEverythingIsRecent() {
    Map<TopicPartition, Long> below =
        VigilStreams.purgeBelow(Map.of(A, 0L, B, 400L), Map.of(A, -1L, B, 0L), Map.of());
    assertThat(below).isEmpty();
  }

  @Test
  void neverDeletesWhatAStoreStillNeeds() {
    // A: processed up to 900, nothing recent, its store still needs 420: delete below 420.
    // B: its store is empty: what was processed goes.
    Map<TopicPartition, Long> below =
        VigilStreams.purgeBelow(
            Map.of(A, 900L, B, 300L), Map.of(A, -1L, B, -1L), Map.of(A, 420L, B, PurgeFloors.NONE));
    assertThat(below).containsOnly(Map.entry(A, 420L), Map.entry(B, 300L));
  }
}
