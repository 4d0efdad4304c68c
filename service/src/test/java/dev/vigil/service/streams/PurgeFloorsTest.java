package dev.vigil.service.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PurgeFloorsTest {
  private static final TopicPartition P = new TopicPartition("vigil-spans-by-trace", 0);

  @Test
  void aFloorCountsOnlyOnceTheTransactionCarryingItCommitted() {
    PurgeFloors floors = new PurgeFloors();
    floors.restored(P, 100);
    assertThat(floors.floor(P, 500)).hasValue(100);
    // Raised after processing offset 599: committed with offset 600 at the latest.
    floors.changed(P, 600, 300);
    assertThat(floors.floor(P, 600)).as("a crash could still undo it").hasValue(100);
    assertThat(floors.floor(P, 601)).hasValue(300);
    floors.changed(P, 700, PurgeFloors.NONE);
    assertThat(floors.floor(P, 650)).hasValue(300);
    assertThat(floors.floor(P, 701)).hasValue(PurgeFloors.NONE);
  }

  @Test
  void aChangeBeforeAnyRecordWaitsForTheNextRecord() {
    PurgeFloors floors = new PurgeFloors();
    floors.restored(P, 100);
    floors.changed(P, PurgeFloors.UNKNOWN_POSITION, 200);
    assertThat(floors.floor(P, 10_000)).hasValue(100);
    // The task's first record was offset 10,000: the change commits with it at the latest.
    floors.changed(P, 10_001, 200);
    assertThat(floors.floor(P, 10_001)).hasValue(100);
    assertThat(floors.floor(P, 10_002)).hasValue(200);
  }

  @Test
  void aPartitionNotRunningHereHasNoFloor() {
    PurgeFloors floors = new PurgeFloors();
    assertThat(floors.floor(P, 10)).isEmpty();
    floors.restored(P, 5);
    floors.closed(P);
    assertThat(floors.floor(P, 10)).isEmpty();
    floors.changed(P, 20, 7);
    assertThat(floors.floor(P, 30)).as("a late change of a closed task").isEmpty();
  }
}
