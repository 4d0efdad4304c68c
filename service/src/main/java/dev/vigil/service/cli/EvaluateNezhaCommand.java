package dev.vigil.service.cli;

import dev.vigil.rca.offline.AnalysisConfig;
import dev.vigil.rca.offline.AnalysisResult;
import dev.vigil.rca.offline.IncidentRanker;
import dev.vigil.rca.offline.OfflineAnalyzer;
import dev.vigil.rca.offline.RankedCause;
import dev.vigil.service.Json;
import dev.vigil.trainingdata.nezha.NezhaCase;
import dev.vigil.trainingdata.nezha.NezhaDataset;
import dev.vigil.trainingdata.nezha.NezhaOtlpConverter;
import dev.vigil.trainingdata.nezha.NezhaPublishedResults;
import dev.vigil.trainingdata.nezha.NezhaRecording;
import dev.vigil.trainingdata.nezha.TopKAccuracy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code vigil evaluate nezha --data <dir> --out <dir>}: converts each labelled fault of the Nezha
 * Train Ticket data into OTLP protobuf files, analyses them through the same code path as {@code
 * vigil analyze} with the injection time ({@code --ranker <name>} swaps the default ensemble for
 * one technique; {@code --no-logs} leaves the logs out), writes one JSON file per case and prints
 * AC@1, AC@3, AC@5 and Avg@5, overall and per fault type, beside the published results. The day's
 * earlier recordings are the traces' and logs' history, as a running service has its own ({@code
 * --no-trace-history}: only the day's fault-free minute; {@code --trace-history} is accepted, the
 * default).
 */
public final class EvaluateNezhaCommand {
  private EvaluateNezhaCommand() {}

  public static int run(List<String> argv) throws UsageException, IOException {
    Args args =
        Args.parse(
            "evaluate nezha",
            argv,
            Set.of("keep-otlp", "trace-history", "no-trace-history", "no-logs"),
            Set.of("data", "out", "limit", "ranker"));
    Path data =
        Path.of(
            args.value("data")
                .orElseThrow(
                    () ->
                        new UsageException(
                            "evaluate nezha needs --data <dir>, e.g."
                                + " ../shared/datasets/nezha-trainticket")));
    Path out =
        Path.of(
            args.value("out")
                .orElseThrow(() -> new UsageException("evaluate nezha needs --out <dir>")));
    int limit = args.intValue("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    OfflineAnalyzer analyzer = analyzer(args.value("ranker").orElse("ensemble"));
    NezhaDataset dataset;
    try {
      dataset = NezhaDataset.open(data);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    if (args.flag("trace-history") && args.flag("no-trace-history")) {
      throw new UsageException(
          "evaluate nezha: --trace-history and --no-trace-history exclude each other");
    }
    NezhaOtlpConverter converter = new NezhaOtlpConverter(dataset, !args.flag("no-trace-history"));
    Files.createDirectories(out.resolve("cases"));
    List<TopKAccuracy.Outcome> outcomes = new ArrayList<>();
    List<NezhaCase> cases = dataset.cases();
    for (NezhaCase c : cases.subList(0, Math.min(limit, cases.size()))) {
      NezhaRecording r = converter.convert(c);
      Path dir = out.resolve("otlp").resolve(c.id());
      Files.createDirectories(dir);
      Files.write(dir.resolve("traces.binpb"), r.traces().toByteArray());
      Files.write(dir.resolve("metrics.binpb"), r.metrics().toByteArray());
      if (!args.flag("no-logs")) {
        Files.write(dir.resolve("logs.binpb"), r.logs().toByteArray());
      }
      AnalysisResult result =
          AnalyzeCommand.analyze(List.of(dir), Optional.of(c.injectTime()), analyzer, System.err);
      List<String> ranked = result.rootCauses().stream().map(RankedCause::service).toList();
      TopKAccuracy.Outcome o = new TopKAccuracy.Outcome(c.faultType(), c.service(), ranked);
      outcomes.add(o);
      Files.writeString(
          out.resolve("cases").resolve(c.id() + ".json"), Json.write(caseJson(c, r, result, o)));
      System.out.printf(
          Locale.ROOT,
          "%s %-15s %-30s rank %s  top: %s%n",
          c.id(),
          c.faultType(),
          c.service(),
          o.rank() == 0 ? "-" : Integer.toString(o.rank()),
          String.join(", ", ranked.subList(0, Math.min(3, ranked.size()))));
      if (!args.flag("keep-otlp")) {
        deleteTree(dir);
      }
    }
    Map<String, Object> summary = summary(outcomes);
    Files.writeString(out.resolve("summary.json"), Json.write(summary));
    printTable(outcomes, System.out);
    return 0;
  }

  /** The default analyser, or one with a single ranker to compare the techniques. */
  static OfflineAnalyzer analyzer(String name) throws UsageException {
    List<IncidentRanker> rankers =
        List.of(
            IncidentRanker.defaults(),
            IncidentRanker.robustChange(),
            IncidentRanker.personalizedPageRank(),
            IncidentRanker.causalEffect(),
            IncidentRanker.eventPattern());
    for (IncidentRanker r : rankers) {
      if (r.name().equals(name)) {
        return new OfflineAnalyzer(AnalysisConfig.defaults(), r);
      }
    }
    throw new UsageException(
        "--ranker must be one of "
            + String.join(", ", rankers.stream().map(IncidentRanker::name).toList()));
  }

  private static Map<String, Object> caseJson(
      NezhaCase c, NezhaRecording r, AnalysisResult result, TopKAccuracy.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("caseId", c.id());
    m.put("faultType", c.faultType());
    m.put("trueService", c.service());
    m.put("injectPod", c.pod());
    m.put("injectTime", c.injectTime().toString());
    m.put("rank", o.rank());
    m.put("spans", r.spans());
    m.put("metricPoints", r.metricPoints());
    m.put("logRecords", r.logRecords());
    m.put("analysis", AnalyzeCommand.toJson(result));
    return m;
  }

  private static Map<String, Object> summary(List<TopKAccuracy.Outcome> outcomes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("overall", scoreJson(TopKAccuracy.score(outcomes)));
    Map<String, Object> groups = new LinkedHashMap<>();
    TopKAccuracy.byGroup(outcomes).forEach((g, s) -> groups.put(g, scoreJson(s)));
    m.put("byFaultType", groups);
    return m;
  }

  private static Map<String, Object> scoreJson(TopKAccuracy.Score s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cases", s.cases());
    for (int k = 1; k <= TopKAccuracy.MAX_K; k++) {
      m.put("AC@" + k, s.ac(k));
    }
    m.put("Avg@5", s.avgAt5());
    return m;
  }

  static void printTable(List<TopKAccuracy.Outcome> outcomes, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT, "%-16s %5s %6s %6s %6s %6s%n", "", "cases", "AC@1", "AC@3", "AC@5", "Avg@5");
    row(out, "overall", TopKAccuracy.score(outcomes));
    TopKAccuracy.byGroup(outcomes).forEach((g, s) -> row(out, g, s));
    out.println();
    out.println("published (service level, AS@1/3/5 in %):");
    for (NezhaPublishedResults.Published p : NezhaPublishedResults.TRAIN_TICKET) {
      out.printf(Locale.ROOT, "  %-13s %6.2f %6.2f %6.2f%n", p.method(), p.at1(), p.at3(), p.at5());
    }
  }

  private static void row(PrintStream out, String name, TopKAccuracy.Score s) {
    out.printf(
        Locale.ROOT,
        "%-16s %5d %6.3f %6.3f %6.3f %6.3f%n",
        name,
        s.cases(),
        s.ac(1),
        s.ac(3),
        s.ac(5),
        s.avgAt5());
  }

  private static void deleteTree(Path dir) throws IOException {
    dev.vigil.service.internal.Directories.deleteTree(dir);
  }
}
