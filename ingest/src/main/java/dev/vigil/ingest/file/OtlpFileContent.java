package dev.vigil.ingest.file;

import dev.vigil.telemetry.TelemetryBatch;
import java.util.List;

/**
 * What was read from a set of files.
 *
 * @param batches one per decoded message, in file order
 * @param files how many files were read
 * @param problems one line per message or file that could not be read, naming the file and line
 */
public record OtlpFileContent(List<TelemetryBatch> batches, int files, List<String> problems) {
  public OtlpFileContent {
    batches = List.copyOf(batches);
    problems = List.copyOf(problems);
  }

  public long spans() {
    return batches.stream().mapToLong(b -> b.spans().size()).sum();
  }

  public long metricPoints() {
    return batches.stream().mapToLong(b -> b.metrics().size()).sum();
  }

  public long logs() {
    return batches.stream().mapToLong(b -> b.logs().size()).sum();
  }
}
