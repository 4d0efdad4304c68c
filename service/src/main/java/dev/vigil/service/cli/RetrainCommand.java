package dev.vigil.service.cli;

import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.features.WindowFeatures;
import dev.vigil.ingest.file.OtlpFileContent;
import dev.vigil.ingest.file.OtlpFileReader;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.ServiceFeatureSchema;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.models.retrain.Evaluation;
import dev.vigil.models.retrain.RetrainConfig;
import dev.vigil.models.retrain.RetrainOutcome;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.service.Json;
import dev.vigil.telemetry.TelemetryBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code vigil retrain --input <OTLP files or dirs> [--registry DIR] [--dry-run] [--json]}:
 * rebuilds the per-service window features of a recorded history with the stream's own code ({@link
 * SpanFeatureAggregator}, {@link ServiceFeatureSchema#vector}), retrains each service's batch
 * detector ({@link ServiceRetrainer}: isolation forest and one-class SVM on Tribuo, evaluated on a
 * held-out tail and fault-injected copies of it against the model in use), promotes the winners to
 * the registry and prints a summary table. Progress goes to stderr: a bar on a terminal, plain
 * lines otherwise.
 */
public final class RetrainCommand {
  static final String DEFAULT_REGISTRY = "vigil-models";

  private RetrainCommand() {}

  public static int run(List<String> argv) throws UsageException, IOException {
    Args args =
        Args.parse(
            "retrain",
            argv,
            Set.of("dry-run", "json"),
            Set.of("input", "registry", "hold-out", "min-windows"));
    List<Path> inputs = new ArrayList<>();
    args.value("input")
        .ifPresent(
            v -> {
              for (String p : v.split(",")) {
                if (!p.isBlank()) {
                  inputs.add(Path.of(p.trim()));
                }
              }
            });
    args.positional().forEach(p -> inputs.add(Path.of(p)));
    if (inputs.isEmpty()) {
      throw new UsageException(
          "retrain needs --input <OTLP files or dirs> (*.json, *.jsonl or *.binpb; record one with"
              + " 'vigil record --out DIR')");
    }
    RetrainConfig config =
        RetrainConfig.builder()
            .holdOutShare(
                args.doubleValue("hold-out", RetrainConfig.DEFAULT_HOLD_OUT_SHARE, 0.05, 0.9))
            .minWindows(
                args.intValue("min-windows", RetrainConfig.DEFAULT_MIN_WINDOWS, 8, 10_000_000))
            .build();
    ModelRegistry registry =
        ModelRegistry.directory(Path.of(args.value("registry").orElse(DEFAULT_REGISTRY)));
    Progress progress = new Progress(System.err, System.console() != null);

    long t0 = System.nanoTime();
    progress.line("reading " + inputs);
    OtlpFileContent content = OtlpFileReader.read(inputs);
    if (content.files() == 0) {
      System.err.println("vigil: no *.json, *.jsonl or *.binpb files under " + inputs);
      return 1;
    }
    if (!content.problems().isEmpty()) {
      progress.line(
          content.problems().size()
              + " problems in the input (skipped), first: "
              + content.problems().get(0));
    }
    long t1 = System.nanoTime();
    Map<String, List<FeatureVector>> history = windows(content.batches());
    long t2 = System.nanoTime();
    progress.line(
        String.format(
            Locale.ROOT,
            "%,d spans -> window features of %d services in %.1f s",
            content.spans(),
            history.size(),
            (t2 - t1) / 1e9));
    List<Row> rows = retrain(history, registry, config, args.flag("dry-run"), progress);
    long t3 = System.nanoTime();
    if (args.flag("json")) {
      System.out.println(Json.write(rows));
    } else {
      print(rows, System.out);
      System.out.printf(
          Locale.ROOT,
          "read %.1f s, features %.1f s, training and evaluation %.1f s; registry: %s%s%n",
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (t3 - t2) / 1e9,
          args.value("registry").orElse(DEFAULT_REGISTRY),
          args.flag("dry-run") ? " (dry run: nothing promoted)" : "");
    }
    return 0;
  }

  /**
   * The per-service detector vectors of every closed window, as the streaming monitor sees them
   * (services with fewer than {@link MonitorConfig#minRequests()} requests in a window skipped).
   */
  static Map<String, List<FeatureVector>> windows(List<TelemetryBatch> batches) {
    SpanFeatureAggregator aggregator = new SpanFeatureAggregator(FeatureConfig.defaults());
    int minRequests = MonitorConfig.defaults().minRequests();
    Map<String, List<FeatureVector>> out = new TreeMap<>();
    List<WindowFeatures> closed = new ArrayList<>();
    for (TelemetryBatch b : batches) {
      if (!b.spans().isEmpty()) {
        closed.addAll(aggregator.accept(b.spans()));
      }
    }
    closed.addAll(aggregator.flush());
    for (WindowFeatures w : closed) {
      for (ServiceFeatures f : w.services().values()) {
        if (f.requests() >= minRequests) {
          out.computeIfAbsent(f.service(), s -> new ArrayList<>())
              .add(ServiceFeatureSchema.vector(f, w.start(), w.size()));
        }
      }
    }
    return out;
  }

  /** One line of the summary. */
  record Row(
      String service,
      int windows,
      String model,
      Double newF1,
      Double oldF1,
      Double newFalseAlarms,
      Double oldFalseAlarms,
      Double newRecall,
      boolean promoted,
      Integer version,
      String why) {}

  static List<Row> retrain(
      Map<String, List<FeatureVector>> history,
      ModelRegistry registry,
      RetrainConfig config,
      boolean dryRun,
      Progress progress) {
    ServiceRetrainer retrainer = new ServiceRetrainer(config, Clock.systemUTC());
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, List<FeatureVector>> e : history.entrySet()) {
      progress.step(i++, history.size(), e.getKey());
      RetrainOutcome o = retrainer.retrain(e.getKey(), e.getValue(), registry.current(e.getKey()));
      Integer version = null;
      if (o.promote().isPresent() && !dryRun) {
        RegisteredModel stored = registry.promote(o.promote().get());
        version = stored.version();
      }
      Evaluation best = o.candidates().isEmpty() ? null : o.candidates().get(0);
      rows.add(
          new Row(
              o.service(),
              o.windows(),
              best == null ? "-" : best.model(),
              best == null ? null : best.f1(),
              o.inUse().map(Evaluation::f1).orElse(null),
              best == null ? null : best.falseAlarmRate(),
              o.inUse().map(Evaluation::falseAlarmRate).orElse(null),
              best == null ? null : best.recall(),
              o.promote().isPresent() && !dryRun,
              version,
              o.reason()));
    }
    progress.done(history.size());
    for (String p : registry.problems()) {
      progress.line("registry: " + p);
    }
    return rows;
  }

  static void print(List<Row> rows, PrintStream out) {
    String format = "%-22s %7s  %-16s %12s %12s %9s %-9s  %s%n";
    out.printf(
        Locale.ROOT,
        format,
        "SERVICE",
        "WINDOWS",
        "BEST CANDIDATE",
        "F1 new/old",
        "FA% new/old",
        "RECALL",
        "PROMOTED",
        "WHY");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          format,
          r.service(),
          r.windows(),
          r.model(),
          pair(r.newF1(), r.oldF1(), 1, "%.3f"),
          pair(r.newFalseAlarms(), r.oldFalseAlarms(), 100, "%.1f"),
          r.newRecall() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.newRecall()),
          r.promoted() ? "yes v" + r.version() : "no",
          r.why());
    }
  }

  private static String pair(Double a, Double b, double scale, String f) {
    String x = a == null ? "-" : String.format(Locale.ROOT, f, a * scale);
    String y = b == null ? "-" : String.format(Locale.ROOT, f, b * scale);
    return x + "/" + y;
  }

  /** Progress on stderr: a redrawn bar on a terminal, one plain line per step otherwise. */
  static final class Progress {
    private final PrintStream err;
    private final boolean terminal;

    Progress(PrintStream err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    void line(String text) {
      err.println("retrain: " + text);
    }

    void step(int done, int total, String service) {
      if (terminal) {
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        err.printf(
            Locale.ROOT,
            "\rretrain: [%s%s] %d/%d %-30s",
            "#".repeat(filled),
            " ".repeat(width - filled),
            done,
            total,
            service);
      } else {
        err.printf(Locale.ROOT, "retrain: %d/%d %s%n", done + 1, total, service);
      }
    }

    void done(int total) {
      if (terminal) {
        err.printf(
            Locale.ROOT, "\rretrain: [%s] %d/%d %-30s%n", "#".repeat(30), total, total, "done");
      }
    }
  }
}
