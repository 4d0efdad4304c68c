package dev.vigil.service.cli;

import dev.vigil.ingest.file.OtlpFileContent;
import dev.vigil.ingest.file.OtlpFileReader;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.forecast.ForecastEvaluation;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.models.retrain.Evaluation;
import dev.vigil.models.retrain.RetrainConfig;
import dev.vigil.models.retrain.RetrainOutcome;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.service.Json;
import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.PredictiveConfig;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.models.ForecasterRetrainer;
import dev.vigil.service.models.HistoryWindows;
import dev.vigil.service.models.KafkaHistoryReader;
import dev.vigil.service.models.ModelRegistries;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;

/**
 * {@code vigil retrain --input <OTLP files or dirs> | --bootstrap-servers host:port --from <time>
 * [--to <time>] [--config FILE] [--set k=v] [--registry DIR] [--dry-run] [--no-forecaster]
 * [--json]}: rebuilds the per-service window features of a history with the stream's own code
 * ({@link HistoryWindows}), from OTLP files or from a time range of the spans topic ({@link
 * KafkaHistoryReader}: by record timestamp, no consumer group), retrains each service's batch
 * detector ({@link ServiceRetrainer}: isolation forest and one-class SVM on Tribuo, evaluated on a
 * held-out tail and fault-injected copies of it against the model in use), promotes the winners to
 * the registry ({@code --registry DIR}, else the configuration's {@code models.registry}: with
 * Kafka the compacted {@code vigil.models} topic) and prints a summary table. It also retrains the
 * forecaster of the predictive alerts ({@link ForecasterRetrainer}: one increment LSTM for every
 * service, evaluated on the same held-out tail with ramps injected; {@code --no-forecaster} skips
 * it). Progress goes to stderr: a bar on a terminal, plain lines otherwise.
 */
public final class RetrainCommand {
  static final String DEFAULT_REGISTRY = ModelRegistries.DEFAULT_DIRECTORY;

  private RetrainCommand() {}

  public static int run(List<String> argv) throws UsageException, IOException {
    return run(argv, System.getenv(), Clock.systemUTC());
  }

  /**
   * @param env the environment ({@code VIGIL_*} keys, as for {@code vigil run})
   * @param clock what {@code now} in {@code --from}/{@code --to} is
   */
  static int run(List<String> argv, Map<String, String> env, Clock clock)
      throws UsageException, IOException {
    Request request = request(argv, clock.instant());
    Args args = request.args();
    VigilConfig vigil = ConfigOptions.load(args, env, Map.of());
    RetrainConfig config =
        RetrainConfig.builder()
            .holdOutShare(
                args.doubleValue("hold-out", RetrainConfig.DEFAULT_HOLD_OUT_SHARE, 0.05, 0.9))
            .minWindows(
                args.intValue("min-windows", RetrainConfig.DEFAULT_MIN_WINDOWS, 8, 10_000_000))
            .build();
    Progress progress = new Progress(System.err, System.console() != null);
    Map<String, Object> client = request.fromKafka() ? clientProperties(vigil) : null;
    ModelRegistry registry;
    try {
      registry = ModelRegistries.forRetrain(args.value("registry").map(Path::of), vigil);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    } catch (KafkaException e) {
      System.err.println(
          "vigil: cannot open the model registry (kafka.topics.models on "
              + vigil.value("kafka.bootstrap-servers").orElse("?")
              + "): "
              + e.getMessage());
      return 1;
    }
    try {
      long t0 = System.nanoTime();
      HistoryWindows windows = new HistoryWindows(vigil.features(), vigil.monitor().minRequests());
      Read read =
          request.fromKafka()
              ? readKafka(request, vigil, client, windows, progress)
              : readFiles(request.inputs(), windows, progress);
      if (read == null) {
        return 1;
      }
      Map<String, List<FeatureVector>> history = windows.finish();
      long t1 = System.nanoTime();
      progress.line(
          String.format(
              Locale.ROOT,
              "%,d spans -> window features of %d services (%,d late spans)",
              read.spans(),
              history.size(),
              windows.lateSpans()));
      List<Row> rows = retrain(history, registry, config, args.flag("dry-run"), progress);
      long t2 = System.nanoTime();
      ForecasterRow forecaster = null;
      if (!args.flag("no-forecaster")) {
        forecaster =
            retrainForecaster(
                history, registry, vigil, config.holdOutShare(), args.flag("dry-run"), progress);
      }
      long t3 = System.nanoTime();
      if (args.flag("json")) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("services", rows);
        out.put("forecaster", forecaster);
        System.out.println(Json.write(out));
      } else {
        print(rows, System.out);
        if (forecaster != null) {
          printForecaster(forecaster, System.out);
        }
        System.out.printf(
            Locale.ROOT,
            "source %s; read and window features %.1f s, training and evaluation %.1f s"
                + " (window detectors) + %.1f s (forecaster); registry: %s%s%n",
            read.source(),
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            (t3 - t2) / 1e9,
            registry,
            args.flag("dry-run") ? " (dry run: nothing promoted)" : "");
      }
      return 0;
    } finally {
      ModelRegistries.close(registry);
    }
  }

  /** What was read: a description of the source and the spans it gave. */
  private record Read(String source, long spans) {}

  /** A time range of the spans topic into {@code windows}; null (after a message) on failure. */
  private static Read readKafka(
      Request request,
      VigilConfig vigil,
      Map<String, Object> client,
      HistoryWindows windows,
      Progress progress) {
    String topic = vigil.string("kafka.topics.spans");
    Instant from = request.from();
    Instant to = request.to();
    KafkaHistoryReader.Report report;
    try {
      report =
          new KafkaHistoryReader(client, topic, encoding(vigil))
              .read(from, to, b -> windows.accept(b.spans()), progress::line);
    } catch (KafkaException e) {
      System.err.println(
          "vigil: cannot read "
              + topic
              + " from "
              + vigil.string("kafka.bootstrap-servers")
              + ": "
              + e.getMessage());
      return null;
    }
    progress.line(
        String.format(
            Locale.ROOT,
            "%s: %,d records from %d partitions, %,d with spans, %,d outside %s..%s skipped,"
                + " %,d malformed%s",
            topic,
            report.records(),
            report.partitions(),
            report.used(),
            report.outsideRange(),
            from,
            to,
            report.malformedRecords(),
            report.malformed().isEmpty() ? "" : " " + report.malformed()));
    return new Read("kafka " + topic + " " + from + ".." + to, report.spans());
  }

  /** OTLP files into {@code windows}; null (after a message) when there are none. */
  private static Read readFiles(List<Path> inputs, HistoryWindows windows, Progress progress)
      throws IOException {
    progress.line("reading " + inputs);
    OtlpFileContent content = OtlpFileReader.read(inputs);
    if (content.files() == 0) {
      System.err.println("vigil: no *.json, *.jsonl or *.binpb files under " + inputs);
      return null;
    }
    if (!content.problems().isEmpty()) {
      progress.line(
          content.problems().size()
              + " problems in the input (skipped), first: "
              + content.problems().get(0));
    }
    for (TelemetryBatch b : content.batches()) {
      windows.accept(b.spans());
    }
    return new Read(inputs.toString(), content.spans());
  }

  /**
   * What a command line asks for.
   *
   * @param from start of the Kafka time range, or null when reading files
   * @param to end of the Kafka time range, or null when reading files
   */
  record Request(Args args, List<Path> inputs, Instant from, Instant to) {
    boolean fromKafka() {
      return from != null;
    }
  }

  /**
   * Checks a {@code vigil retrain} command line without running it (the deploy manifests' test uses
   * it): every option is one retrain takes, the source is named once, the times parse.
   *
   * @param now what {@code now} in {@code --from}/{@code --to} is
   * @throws UsageException saying what is wrong
   */
  public static void check(List<String> argv, Instant now) throws UsageException {
    request(argv, now);
  }

  static Request request(List<String> argv, Instant now) throws UsageException {
    Set<String> valued = new HashSet<>(ConfigOptions.VALUED);
    valued.addAll(Set.of("input", "registry", "hold-out", "min-windows", "from", "to"));
    Args args = Args.parse("retrain", argv, Set.of("dry-run", "json", "no-forecaster"), valued);
    List<Path> inputs = args.paths("input");
    boolean fromKafka = args.value("from").isPresent() || args.value("to").isPresent();
    if (inputs.isEmpty() && !fromKafka) {
      throw new UsageException(
          "retrain needs a history: --input <OTLP files or dirs> (*.json, *.jsonl or *.binpb;"
              + " record one with 'vigil record --out DIR'), or --bootstrap-servers host:port"
              + " --from <time> [--to <time>] to read the OTLP topics");
    }
    if (!inputs.isEmpty() && fromKafka) {
      throw new UsageException(
          "retrain reads either files (--input) or a time range of the Kafka topics (--from,"
              + " --to), not both");
    }
    Instant from = null;
    Instant to = null;
    if (fromKafka) {
      from =
          TimeArgument.parse(
              "from",
              args.value("from")
                  .orElseThrow(
                      () ->
                          new UsageException(
                              "--to needs --from <time>: give " + TimeArgument.FORMS)),
              now);
      to = TimeArgument.parse("to", args.value("to").orElse("now"), now);
      if (!to.isAfter(from)) {
        throw new UsageException("--from (" + from + ") must be before --to (" + to + ")");
      }
    }
    return new Request(args, List.copyOf(inputs), from, to);
  }

  /** Kafka client properties of the configuration: bootstrap servers and kafka.properties.*. */
  static Map<String, Object> clientProperties(VigilConfig vigil) throws UsageException {
    Map<String, Object> p = new HashMap<>(vigil.kafkaProperties());
    try {
      p.put("bootstrap.servers", vigil.string("kafka.bootstrap-servers"));
    } catch (ConfigException e) {
      throw new UsageException(
          "retrain --from/--to reads Kafka: give --bootstrap-servers host:port,"
              + " kafka.bootstrap-servers in --config, or VIGIL_KAFKA_BOOTSTRAP_SERVERS");
    }
    return p;
  }

  private static OtlpEncoding encoding(VigilConfig vigil) {
    return switch (vigil.string("kafka.encoding")) {
      case "otlp_proto" -> OtlpEncoding.OTLP_PROTO;
      case "otlp_json" -> OtlpEncoding.OTLP_JSON;
      default -> null;
    };
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

  /** The forecaster's line of the summary. */
  record ForecasterRow(
      String model,
      int series,
      int windows,
      ForecastEvaluation candidate,
      ForecastEvaluation inUse,
      boolean promoted,
      Integer version,
      String why) {}

  static ForecasterRow retrainForecaster(
      Map<String, List<FeatureVector>> history,
      ModelRegistry registry,
      VigilConfig vigil,
      double holdOutShare,
      boolean dryRun,
      Progress progress) {
    PredictiveConfig predictive;
    try {
      predictive = vigil.predictiveSettings();
    } catch (ConfigException e) {
      progress.line("forecaster not retrained: " + e.getMessage());
      return null;
    }
    progress.line(
        "forecaster: training the increment LSTM on the "
            + predictive.series().stream().map(f -> f.id()).toList()
            + " series of "
            + history.size()
            + " services");
    ForecasterRetrainer.Outcome o =
        new ForecasterRetrainer(
                predictive,
                vigil.monitor(),
                vigil.features().window(),
                holdOutShare,
                Clock.systemUTC())
            .retrain(history, registry.current(RegisteredModel.ALL_SERVICES));
    Integer version = null;
    if (o.promote().isPresent() && !dryRun) {
      version = registry.promote(o.promote().get()).version();
    }
    return new ForecasterRow(
        RegisteredModel.LSTM_FORECASTER,
        o.series(),
        o.windows(),
        o.candidate().orElse(null),
        o.inUse().orElse(null),
        o.promote().isPresent() && !dryRun,
        version,
        o.reason());
  }

  static void printForecaster(ForecasterRow r, PrintStream out) {
    String format = "%-26s %6s %7s  %-13s %-13s %-13s %-11s %-9s%n";
    out.println();
    out.printf(
        Locale.ROOT,
        format,
        "FORECASTER (all services)",
        "SERIES",
        "WINDOWS",
        "RAMPS new/old",
        "LEAD new/old",
        "FALSE new/old",
        "MAE new/old",
        "PROMOTED");
    ForecastEvaluation c = r.candidate();
    ForecastEvaluation o = r.inUse();
    out.printf(
        Locale.ROOT,
        format,
        r.model(),
        r.series(),
        r.windows(),
        c == null
            ? "-"
            : c.rampsAlerted()
                + "/"
                + c.ramps()
                + (o == null ? "" : " " + o.rampsAlerted() + "/" + o.ramps()),
        pair(
            c == null ? null : c.meanLeadWindows(),
            o == null ? null : o.meanLeadWindows(),
            1,
            "%.1f"),
        (c == null ? "-" : Integer.toString(c.falseAlerts()))
            + "/"
            + (o == null ? "-" : Integer.toString(o.falseAlerts())),
        pair(c == null ? null : c.mae(), o == null ? null : o.mae(), 1, "%.2f"),
        r.promoted() ? "yes v" + r.version() : "no");
    out.println("  why: " + r.why());
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
