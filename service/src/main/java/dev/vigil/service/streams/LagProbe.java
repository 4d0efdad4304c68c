package dev.vigil.service.streams;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Whether a task has read everything its consumer has seen of its input: a partition is idle only
 * when it is caught up and quiet, not merely quiet (a stream thread busy with other tasks, or a
 * slow machine, leaves a task without records for a while too).
 */
final class LagProbe {
  private volatile KafkaStreams streams;

  void attach(KafkaStreams streams) {
    this.streams = streams;
  }

  /**
   * @param nextOffset the offset after the last record the task processed from {@code partition} (0
   *     if none)
   */
  boolean caughtUp(TaskId task, TopicPartition partition, long nextOffset) {
    KafkaStreams s = streams;
    if (s == null) {
      return false;
    }
    for (ThreadMetadata thread : s.metadataForLocalThreads()) {
      for (TaskMetadata t : thread.activeTasks()) {
        if (t.taskId().equals(task)) {
          Map<TopicPartition, Long> ends = t.endOffsets();
          Long end = ends.get(partition);
          return end == null || end < 0 || end <= nextOffset;
        }
      }
    }
    return false;
  }
}
