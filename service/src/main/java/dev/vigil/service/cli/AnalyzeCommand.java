package dev.vigil.service.cli;

import dev.vigil.ingest.file.OtlpFileContent;
import dev.vigil.ingest.file.OtlpFileReader;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.offline.AnalysisResult;
import dev.vigil.rca.offline.OfflineAnalyzer;
import dev.vigil.rca.offline.RankedCause;
import dev.vigil.service.Json;
import dev.vigil.service.ui.IncidentReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code vigil analyze --input <files or dirs> [--incident-time <ISO-8601>] [--json] [--html
 * FILE]}: reads recorded OTLP files (JSON lines or protobuf), finds the incident unless its time is
 * given, and prints the ranked root causes with their evidence; {@code --html} also writes the
 * incident page, self-contained ({@link IncidentReport}).
 */
public final class AnalyzeCommand {
  static final int PROBLEMS_SHOWN = 5;

  private AnalyzeCommand() {}

  public static int run(List<String> argv) throws UsageException, IOException {
    Args args =
        Args.parse("analyze", argv, Set.of("json"), Set.of("input", "incident-time", "html"));
    List<Path> inputs = args.paths("input");
    if (inputs.isEmpty()) {
      throw new UsageException(
          "analyze needs --input <files or dirs> (OTLP/JSON lines *.json/*.jsonl or protobuf"
              + " *.binpb)");
    }
    Optional<Instant> time = Optional.empty();
    if (args.value("incident-time").isPresent()) {
      String v = args.value("incident-time").get();
      try {
        time = Optional.of(Instant.parse(v));
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--incident-time must be an ISO-8601 instant such as 2023-01-29T08:43:04Z, got '"
                + v
                + "'");
      }
    }
    AnalysisResult result;
    try {
      result = analyze(inputs, time, System.err);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("vigil: " + e.getMessage());
      return 1;
    }
    if (args.value("html").isPresent()) {
      Path html = Path.of(args.value("html").get());
      IncidentReport.write(html, IncidentReport.view(result));
      System.err.println("vigil: incident page written to " + html);
    }
    if (args.flag("json")) {
      System.out.println(Json.write(toJson(result)));
    } else {
      print(result, System.out);
    }
    return 0;
  }

  /**
   * Reads the files and analyses them: the one code path of {@code analyze} and {@code evaluate}.
   * Unreadable messages are reported on {@code warnings} and skipped.
   */
  public static AnalysisResult analyze(
      List<Path> inputs, Optional<Instant> incidentTime, PrintStream warnings) throws IOException {
    return analyze(inputs, incidentTime, OfflineAnalyzer.defaults(), warnings);
  }

  /** The same with another analyser (a single ranker, for comparing rankers). */
  public static AnalysisResult analyze(
      List<Path> inputs,
      Optional<Instant> incidentTime,
      OfflineAnalyzer analyzer,
      PrintStream warnings)
      throws IOException {
    OtlpFileContent content = OtlpFileReader.read(inputs);
    if (!content.problems().isEmpty()) {
      warnings.printf(
          Locale.ROOT,
          "vigil: %d problems in the input (unreadable messages skipped, invalid items dropped):%n",
          content.problems().size());
      content.problems().stream().limit(PROBLEMS_SHOWN).forEach(p -> warnings.println("  " + p));
    }
    if (content.files() == 0) {
      throw new IOException("no *.json, *.jsonl or *.binpb files under " + inputs);
    }
    return analyzer.analyze(content.batches(), incidentTime);
  }

  /**
   * {@code {"incidentTime":...,"rootCauses":[{"service","score","component","path","evidence"}]}}.
   */
  public static Map<String, Object> toJson(AnalysisResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("incidentTime", result.incidentTime().toString());
    List<Map<String, Object>> causes = new ArrayList<>();
    for (RankedCause c : result.rootCauses()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", c.service());
      m.put("score", c.score());
      m.put("component", c.component());
      m.put("path", c.path());
      m.put("evidence", c.evidence());
      causes.add(m);
    }
    out.put("rootCauses", causes);
    return out;
  }

  static void print(AnalysisResult result, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "incident at %s (%s); %d services, %d series%n",
        result.incidentTime(),
        result.located() ? "located from the data" : "given",
        result.services(),
        result.series());
    if (result.rootCauses().isEmpty()) {
      out.println("no service changed enough to be ranked");
      return;
    }
    int i = 0;
    for (RankedCause c : result.rootCauses()) {
      out.printf(
          Locale.ROOT,
          "%d. %s  score %.2f%s%n",
          ++i,
          c.service(),
          c.score(),
          c.component().isEmpty() ? "" : "  cause: " + c.component());
      for (Evidence e : c.evidence()) {
        out.println("   - " + e.text());
      }
    }
  }
}
