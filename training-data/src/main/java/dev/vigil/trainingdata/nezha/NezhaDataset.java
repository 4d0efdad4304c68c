package dev.vigil.trainingdata.nezha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Nezha Train Ticket data set on disk: {@code rca_data/<day>/<day>-fault_list.json} labels,
 * per-pod metrics under {@code rca_data/<day>/metric/}, per-minute traces under {@code
 * rca_data/<day>/trace/} and fault-free traces under {@code construct_data/<day>/trace/}.
 */
public final class NezhaDataset {
  private static final DateTimeFormatter INJECT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("HHmmss");

  private final Path root;

  private NezhaDataset(Path root) {
    this.root = root;
  }

  /**
   * @throws IOException when {@code root} has no {@code rca_data} directory
   */
  public static NezhaDataset open(Path root) throws IOException {
    if (!Files.isDirectory(root.resolve("rca_data"))) {
      throw new IOException(
          root + " is not the Nezha Train Ticket data set: it has no rca_data directory");
    }
    return new NezhaDataset(root);
  }

  public Path root() {
    return root;
  }

  /** The labelled faults of every day, in time order. */
  public List<NezhaCase> cases() throws IOException {
    List<NezhaCase> out = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper();
    try (Stream<Path> days = Files.list(root.resolve("rca_data"))) {
      for (Path dayDir : days.filter(Files::isDirectory).sorted().toList()) {
        String day = dayDir.getFileName().toString();
        Path list = dayDir.resolve(day + "-fault_list.json");
        if (!Files.exists(list)) {
          continue;
        }
        JsonNode hours = mapper.readTree(list.toFile());
        for (Map.Entry<String, JsonNode> hour : hours.properties()) {
          for (JsonNode f : hour.getValue()) {
            LocalDateTime t = LocalDateTime.parse(f.get("inject_time").asText(), INJECT_TIME);
            String pod = f.get("inject_pod").asText();
            out.add(
                new NezhaCase(
                    day + "T" + t.format(ID_TIME),
                    day,
                    t.toInstant(ZoneOffset.UTC),
                    pod,
                    NezhaCase.serviceOfPod(pod),
                    f.get("inject_type").asText()));
          }
        }
      }
    }
    out.sort(Comparator.comparing(NezhaCase::injectTime));
    return out;
  }

  Path metricDir(String day) {
    return root.resolve("rca_data").resolve(day).resolve("metric");
  }

  Path traceDir(String day) {
    return root.resolve("rca_data").resolve(day).resolve("trace");
  }

  Path logDir(String day) {
    return root.resolve("rca_data").resolve(day).resolve("log");
  }

  Path baselineLogDir(String day) {
    return root.resolve("construct_data").resolve(day).resolve("log");
  }

  Path baselineTraceDir(String day) {
    return root.resolve("construct_data").resolve(day).resolve("trace");
  }
}
