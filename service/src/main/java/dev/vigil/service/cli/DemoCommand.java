package dev.vigil.service.cli;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.ingest.internal.IngestMetrics;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.lstm.LstmIncrementConfig;
import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.PredictiveConfig;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.models.WarmUpForecaster;
import dev.vigil.service.pipeline.EventPrinter;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.service.runtime.VigilRuntime;
import dev.vigil.service.streams.StreamsMeters;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaLogExporter;
import dev.vigil.trainingdata.sim.KafkaMetricExporter;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code vigil demo}: an embedded Kafka broker, the simulated shop writing OTLP to it, and the
 * service ({@link VigilRuntime}, the same one {@code vigil run} starts) reading it back, with a
 * fault injected after the warm-up.
 */
public final class DemoCommand {
  static final String DEFAULT_FAULT = "latency:catalog";
  static final double DEFAULT_SPEED = 20;

  /** Share of a bounded run spent warming up before the fault. */
  static final double WARM_UP_SHARE = 0.4;

  /** Warm-up of an unbounded run, in real seconds. */
  static final int UNBOUNDED_WARM_UP_SECONDS = 90;

  private DemoCommand() {}

  /** Every {@code --fault} given, or the default one unless {@code --no-fault}. */
  static List<Fault> faults(Args args, Topology topology) throws UsageException {
    if (args.flag("no-fault")) {
      if (!args.values("fault").isEmpty()) {
        throw new UsageException("--no-fault and --fault contradict each other");
      }
      return List.of();
    }
    List<String> specs = args.values("fault");
    try {
      return Fault.parseAll(specs.isEmpty() ? List.of(DEFAULT_FAULT) : specs, topology);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--fault: " + e.getMessage());
    }
  }

  /** The faults from {@code at}, until {@code until} (null: to the end of the run). */
  static FaultSchedule schedule(List<Fault> faults, Instant at, Instant until) {
    if (faults.isEmpty()) {
      return FaultSchedule.none();
    }
    return until == null
        ? FaultSchedule.allAt(faults, at)
        : FaultSchedule.allBetween(faults, at, until);
  }

  // The simulator is closed explicitly to let the service catch up before the summary, and again,
  // idempotently, by try-with-resources on errors.
  @SuppressWarnings("try")
  public static int run(List<String> argv) throws Exception {
    Set<String> valued = new HashSet<>(ConfigOptions.VALUED);
    valued.addAll(
        Set.of(
            "seconds",
            "fault",
            "speed",
            "rate",
            "seed",
            "port",
            "fault-minutes",
            "alertmanager-url",
            "webhook-url",
            "slack-url",
            "models"));
    valued.addAll(LlmOptions.OPTIONS);
    Args args = Args.parse("demo", argv, Set.of("json", "no-fault", "list-services"), valued);
    if (!args.positional().isEmpty()) {
      throw new UsageException("demo takes no arguments, got " + args.positional());
    }
    int seconds = args.intValue("seconds", 0, 30, 86_400);
    double speed = args.doubleValue("speed", DEFAULT_SPEED, 1, 200);
    double rate = args.doubleValue("rate", MicroserviceSimulator.DEFAULT_BASE_RATE, 1, 2000);
    long seed =
        args.intValue("seed", (int) MicroserviceSimulator.DEFAULT_SEED, 0, Integer.MAX_VALUE);
    Topology topology = Topology.shop();
    if (args.flag("list-services")) {
      topology.faultableServices().forEach(System.out::println);
      return 0;
    }
    List<Fault> faults = faults(args, topology);
    // How long the faults last, in simulated minutes (0: until the end of the run).
    int faultMinutes = args.intValue("fault-minutes", 0, 1, 10_000);
    // Checked before anything starts: a missing API key is a usage error, not a late surprise.
    LlmOptions llm = LlmOptions.parse(args, System.getenv());
    boolean bounded = seconds > 0;
    // HTTP API and OTLP/HTTP receiver: on for an unbounded run or when asked for.
    Map<String, String> demo = new HashMap<>();
    demo.put("kafka.application-id", "vigil-demo");
    demo.put("kafka.replication-factor", "1");
    demo.put("http.port", args.value("port").orElse(bounded ? "0" : "8080"));
    if (bounded && args.value("otlp-port").isEmpty()) {
      demo.put("otlp.port", "0");
    }
    // Simulated time runs `speed` times the wall clock: a partition served a second after the
    // others is `speed` seconds of event time behind.
    demo.put("windows.out-of-orderness", Math.max(10, (long) Math.ceil(speed)) + "s");
    demo.put("models.registry-dir", args.value("models").orElse(RetrainCommand.DEFAULT_REGISTRY));
    // Predictive alerts are off by default (the forecaster still raises false ones); the demo
    // shows them with the fault made for them, a slow ramp (--set predictive.enabled overrides).
    demo.put(
        "predictive.enabled",
        String.valueOf(faults.stream().anyMatch(f -> f.kind() == Fault.Kind.RAMP)));
    args.value("alertmanager-url").ifPresent(u -> demo.put("sinks.alertmanager.url", u));
    args.value("webhook-url").ifPresent(u -> demo.put("sinks.webhook.url", u));
    args.value("slack-url").ifPresent(u -> demo.put("sinks.slack.url", u));
    Path state = Files.createTempDirectory("vigil-demo-state");
    demo.put("kafka.state-dir", state.toString());
    PrintStream out = System.out;
    EventPrinter printer = new EventPrinter(out, args.flag("json"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      demo.put("kafka.bootstrap-servers", bootstrap);
      VigilConfig config = ConfigOptions.load(args, Map.of(), demo);
      KafkaTopics.ensure(
          bootstrap,
          List.of(KafkaTopics.OTLP_SPANS, KafkaTopics.OTLP_METRICS, KafkaTopics.OTLP_LOGS),
          3,
          (short) 1);
      Duration simulated = Duration.ofMillis((long) (seconds * 1000L * speed));
      Duration warmUp =
          bounded
              ? Duration.ofMillis((long) (simulated.toMillis() * WARM_UP_SHARE))
              : Duration.ofMillis((long) (UNBOUNDED_WARM_UP_SECONDS * 1000L * speed));
      Instant start = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 10 * 10);
      Instant faultAt = start.plus(warmUp);
      Instant faultEnd = faultMinutes > 0 ? faultAt.plus(Duration.ofMinutes(faultMinutes)) : null;

      Map<String, Object> topo = new LinkedHashMap<>();
      topo.put("services", topology.services());
      topo.put("edges", topology.edges());
      topo.put("entry", topology.entry());
      printer.event(
          "topology",
          topo,
          "topology: " + topology.services().size() + " services; calls: " + topology.edges());
      VigilRuntime.Builder rb =
          VigilRuntime.builder(config)
              .registry(registry)
              .answerer(llm.answerer(registry))
              .listener(printer)
              .environment(System.getenv());
      if (!faults.isEmpty()) {
        rb.listener(new FaultAnnouncer(printer, faults, faultAt, faultEnd));
      }
      AtomicReference<VigilRuntime> built = new AtomicReference<>();
      AtomicReference<MicroserviceSimulator> simulatorRef = new AtomicReference<>();
      warmUpForecaster(
              config,
              warmUp,
              printer,
              f -> built.get().useForecaster(f),
              new SimulationHold(simulatorRef))
          .ifPresent(rb::listener);
      try (VigilRuntime runtime = rb.build();
          MicroserviceSimulator simulator =
              MicroserviceSimulator.builder()
                  .topology(topology)
                  .exporter(new KafkaSpanExporter(bootstrap, KafkaTopics.OTLP_SPANS))
                  .metricExporter(new KafkaMetricExporter(bootstrap, KafkaTopics.OTLP_METRICS))
                  .logExporter(new KafkaLogExporter(bootstrap, KafkaTopics.OTLP_LOGS))
                  .seed(seed)
                  .speed(speed)
                  .baseRatePerSecond(rate)
                  .startTime(start)
                  .faults(schedule(faults, faultAt, faultEnd))
                  .build()) {
        built.set(runtime);
        simulatorRef.set(simulator);
        try {
          runtime.start();
        } catch (ConfigException e) {
          throw new UsageException(e.getMessage());
        }
        runtime.streams().awaitRunning(Duration.ofMinutes(2));
        runtime
            .apiAddress()
            .ifPresent(
                a -> {
                  System.err.println(
                      "vigil: HTTP API on http://"
                          + a.getHostString()
                          + ":"
                          + a.getPort()
                          + " (try: ./vigil ask \"why is frontend slow?\")");
                  System.err.println("vigil: questions are answered by " + llm.describe());
                });
        runtime
            .otlpAddress()
            .ifPresent(
                a ->
                    System.err.println(
                        "vigil: OTLP/HTTP receiver on http://127.0.0.1:"
                            + a.getPort()
                            + " (POST /v1/traces, /v1/metrics, /v1/logs)"));
        simulator.start();
        if (bounded) {
          // The simulated time held while the forecaster trains is added to the run.
          long started = System.nanoTime();
          long left;
          while ((left =
                  Duration.ofSeconds(seconds).plus(simulator.pausedFor()).toNanos()
                      - (System.nanoTime() - started))
              > 0) {
            Thread.sleep(Math.max(1, Math.min(1000, left / 1_000_000)));
          }
        } else {
          CountDownLatch stop = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
          stop.await();
        }
        simulator.close();
        StreamsMeters meters = runtime.streams().meters();
        long sent = simulator.spans();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (meters.spans() < sent && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("spans", meters.spans());
        summary.put("windows", meters.windows());
        summary.put("lateSpans", meters.lateSpans());
        summary.put("splitTraceSpans", meters.splitTraceSpans());
        VigilPipeline engine = runtime.streams().engine().current().orElse(null);
        if (engine != null) {
          summary.put("metricPoints", engine.signalStats().points());
          summary.put("logRecords", engine.signalStats().logs());
          summary.put("latePoints", engine.signalStats().latePoints());
          summary.put("lateLogs", engine.signalStats().lateLogs());
          summary.put("incidents", engine.incidents().size());
        }
        summary.put(
            "deadLetters",
            (long)
                registry.find(IngestMetrics.DEAD_LETTERS).counters().stream()
                    .mapToDouble(Counter::count)
                    .sum());
        printer.event("summary", summary, "summary: " + summary);
      }
    } finally {
      deleteTree(state);
    }
    return 0;
  }

  /**
   * The demo has no history to retrain on: when predictive alerts are on, an increment LSTM is
   * trained in the background on its first windows (two histories and a horizon: 150 ten-second
   * windows, 25 simulated minutes), from the warm-up.
   */
  static Optional<WarmUpForecaster> warmUpForecaster(
      VigilConfig config,
      Duration warmUp,
      EventPrinter printer,
      Consumer<Forecaster> use,
      SimulationHold hold)
      throws UsageException {
    Optional<PredictiveConfig> predictive;
    try {
      predictive = config.predictive();
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    if (predictive.isEmpty()) {
      return Optional.empty();
    }
    PredictiveConfig pc = predictive.get();
    LstmIncrementConfig lstm = LstmIncrementConfig.builder().horizon(pc.horizonWindows()).build();
    int windows = 2 * lstm.sequenceLength() + lstm.horizon();
    Duration window = config.duration("windows.size");
    long warmUpWindows = warmUp.toMillis() / window.toMillis();
    String note =
        warmUpWindows >= windows
            ? ""
            : " (the warm-up has only "
                + warmUpWindows
                + ": the fault may be in the training data; give a longer --seconds)";
    printer.event(
        "forecaster",
        Map.of("status", "collecting", "windows", windows),
        "forecaster: an LSTM will be trained on the first " + windows + " windows" + note);
    WarmUpForecaster.Report report =
        new WarmUpForecaster.Report() {
          @Override
          public void training(int n, int series) {
            hold.hold();
            printer.event(
                "forecaster",
                Map.of("status", "training", "windows", n, "series", series),
                "forecaster: training an LSTM on "
                    + n
                    + " windows of "
                    + series
                    + " series; the simulated clock waits for it");
          }

          @Override
          public void trained(Forecaster f, int n, int series, Duration took) {
            hold.release();
            printer.event(
                "forecaster",
                Map.of(
                    "status",
                    "trained",
                    "windows",
                    n,
                    "series",
                    series,
                    "seconds",
                    took.toMillis() / 1000.0),
                String.format(
                    java.util.Locale.ROOT,
                    "forecaster: LSTM trained on %d windows of %d series in %.1f s;"
                        + " predictive alerts on",
                    n,
                    series,
                    took.toMillis() / 1000.0));
          }

          @Override
          public void failed(String reason) {
            hold.release();
            printer.event(
                "forecaster",
                Map.of("status", "failed", "reason", reason),
                "forecaster: training failed, no predictive alerts: " + reason);
          }
        };
    return Optional.of(
        new WarmUpForecaster(windows, pc.series(), lstm, use, report, java.time.Clock.systemUTC()));
  }

  /**
   * Holds the simulated clock while the forecaster trains: on a busy machine the training takes
   * minutes of real time, tens of simulated minutes at the demo's speed, and a ramp that began in
   * them would be over before any forecast. The demo's run is lengthened by the time held. (In
   * {@code vigil run} the forecaster comes from {@code vigil retrain}, and nothing waits.)
   */
  static final class SimulationHold {
    private final AtomicReference<MicroserviceSimulator> simulator;

    SimulationHold(AtomicReference<MicroserviceSimulator> simulator) {
      this.simulator = simulator;
    }

    void hold() {
      MicroserviceSimulator s = simulator.get();
      if (s != null) {
        s.pause();
      }
    }

    void release() {
      MicroserviceSimulator s = simulator.get();
      if (s != null) {
        s.resume();
      }
    }
  }

  /** The demo's state lives as long as its embedded broker: nothing of it is worth keeping. */
  private static void deleteTree(Path root) {
    try {
      dev.vigil.service.internal.Directories.deleteTree(root);
    } catch (java.io.IOException e) {
      System.err.println("vigil: could not delete the demo's state in " + root + ": " + e);
    }
  }
}
