package dev.vigil.service.cli;

import dev.vigil.features.FeatureConfig;
import dev.vigil.ingest.KafkaTelemetrySource;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.ingest.TelemetrySink;
import dev.vigil.ingest.http.OtlpHttpReceiver;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.TrainedModelScorer;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.service.http.HttpApi;
import dev.vigil.service.http.ModelsHandler;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.models.ModelRegistryPoller;
import dev.vigil.service.pipeline.EventPrinter;
import dev.vigil.service.pipeline.KafkaEventPublisher;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.KafkaLogExporter;
import dev.vigil.trainingdata.sim.KafkaMetricExporter;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vigil demo}: an embedded Kafka broker, the simulated shop writing OTLP spans to it, and
 * the whole pipeline reading them back, with a fault injected after the warm-up.
 */
public final class DemoCommand {
  static final String DEFAULT_FAULT = "latency:catalog";
  static final double DEFAULT_SPEED = 20;
  static final int DEFAULT_PORT = 8080;

  /** Share of a bounded run spent warming up before the fault. */
  static final double WARM_UP_SHARE = 0.4;

  /** Warm-up of an unbounded run, in real seconds. */
  static final int UNBOUNDED_WARM_UP_SECONDS = 90;

  private DemoCommand() {}

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }

  // The simulator and the source are closed explicitly to drain the pipeline in order (simulator,
  // then ingest, then the feature windows) and again, idempotently, by try-with-resources on
  // errors.
  @SuppressWarnings("try")
  public static int run(List<String> argv) throws Exception {
    Args args =
        Args.parse(
            "demo",
            argv,
            Set.of("json", "no-fault", "list-services"),
            union(
                Set.of("seconds", "fault", "speed", "rate", "seed", "port", "otlp-port", "models"),
                LlmOptions.OPTIONS));
    if (!args.positional().isEmpty()) {
      throw new UsageException("demo takes no arguments, got " + args.positional());
    }
    int seconds = args.intValue("seconds", 0, 30, 86_400);
    double speed = args.doubleValue("speed", DEFAULT_SPEED, 1, 200);
    double rate = args.doubleValue("rate", MicroserviceSimulator.DEFAULT_BASE_RATE, 1, 2000);
    long seed =
        args.intValue("seed", (int) MicroserviceSimulator.DEFAULT_SEED, 0, Integer.MAX_VALUE);
    int port = args.intValue("port", DEFAULT_PORT, 0, 65_535);
    boolean serveHttp = seconds == 0 || args.value("port").isPresent();
    // OTLP/HTTP receiver: like the API, on for an unbounded run or when asked for; 0 turns it off.
    int otlpPort = args.intValue("otlp-port", OtlpHttpReceiver.DEFAULT_PORT, 0, 65_535);
    boolean serveOtlp = otlpPort != 0 && (seconds == 0 || args.value("otlp-port").isPresent());
    // Checked before anything starts: a missing API key is a usage error, not a late surprise.
    LlmOptions llm = LlmOptions.parse(args, System.getenv());
    if (llm.enabled() && !serveHttp) {
      System.err.println(
          "vigil: --llm answers /api/ask only; a run with --seconds serves it only with --port");
    }
    Topology topology = Topology.shop();
    if (args.flag("list-services")) {
      topology.faultableServices().forEach(System.out::println);
      return 0;
    }
    Fault fault;
    try {
      fault =
          args.flag("no-fault")
              ? null
              : Fault.parse(args.value("fault").orElse(DEFAULT_FAULT), topology);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--fault: " + e.getMessage());
    }
    PrintStream out = System.out;
    EventPrinter printer = new EventPrinter(out, args.flag("json"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      KafkaTopics.ensure(
          bootstrap,
          List.of(
              KafkaTopics.OTLP_SPANS,
              KafkaTopics.OTLP_METRICS,
              KafkaTopics.OTLP_LOGS,
              KafkaTopics.DLQ,
              KafkaTopics.ANOMALIES,
              KafkaTopics.ALERTS,
              KafkaTopics.INCIDENTS),
          3,
          (short) 1);
      Duration simulated = Duration.ofMillis((long) (seconds * 1000L * speed));
      Duration warmUp =
          seconds > 0
              ? Duration.ofMillis((long) (simulated.toMillis() * WARM_UP_SHARE))
              : Duration.ofMillis((long) (UNBOUNDED_WARM_UP_SECONDS * 1000L * speed));
      Instant start = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 10 * 10);
      Instant faultAt = start.plus(warmUp);

      Map<String, Object> topo = new LinkedHashMap<>();
      topo.put("services", topology.services());
      topo.put("edges", topology.edges());
      topo.put("entry", topology.entry());
      printer.event(
          "topology",
          topo,
          "topology: " + topology.services().size() + " services; calls: " + topology.edges());

      VigilPipeline pipeline =
          new VigilPipeline(FeatureConfig.defaults(), MonitorConfig.defaults(), registry);
      pipeline.addListener(printer);
      pipeline.addListener(new FaultAnnouncer(printer, fault, faultAt));
      // Batch-trained models (vigil retrain --registry DIR), swapped in as new versions appear.
      TrainedModelScorer trained =
          new TrainedModelScorer(ServiceRetrainer.schema(), Clock.systemUTC());
      ModelRegistryPoller models =
          new ModelRegistryPoller(
              ModelRegistry.directory(
                  Path.of(args.value("models").orElse(RetrainCommand.DEFAULT_REGISTRY))),
              trained);
      pipeline.useTrainedModels(trained);
      models
          .start(ModelRegistryPoller.DEFAULT_INTERVAL)
          .forEach(c -> System.err.println("vigil: models: " + c));
      // Kafka and OTLP/HTTP feed the same single-threaded pipeline, one batch at a time.
      TelemetrySink sink = TelemetrySink.serialized(pipeline);
      try (KafkaEventPublisher publisher =
              new KafkaEventPublisher(
                  bootstrap, KafkaTopics.ANOMALIES, KafkaTopics.ALERTS, KafkaTopics.INCIDENTS);
          KafkaTelemetrySource source =
              KafkaTelemetrySource.builder()
                  .bootstrapServers(bootstrap)
                  .groupId("vigil-demo")
                  .meterRegistry(registry)
                  .build(sink);
          OtlpHttpReceiver otlp =
              serveOtlp
                  ? OtlpHttpReceiver.builder().port(otlpPort).meterRegistry(registry).build(sink)
                  : null;
          HttpApi api =
              serveHttp
                  ? new HttpApi(
                      new InetSocketAddress("127.0.0.1", port),
                      pipeline,
                      llm.answerer(registry),
                      registry)
                  : null;
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
                  .faults(fault == null ? FaultSchedule.none() : FaultSchedule.at(fault, faultAt))
                  .build()) {
        pipeline.addListener(publisher);
        if (api != null) {
          api.route("/api/models", new ModelsHandler(trained));
        }
        source.start();
        if (api != null) {
          System.err.println(
              "vigil: HTTP API on http://"
                  + api.address().getHostString()
                  + ":"
                  + api.address().getPort()
                  + " (try: ./vigil ask \"why is frontend slow?\")");
          System.err.println("vigil: questions are answered by " + llm.describe());
        }
        if (otlp != null) {
          otlp.start();
          System.err.println(
              "vigil: OTLP/HTTP receiver on http://127.0.0.1:"
                  + otlp.address().getPort()
                  + " (POST /v1/traces, /v1/metrics, /v1/logs)");
        }
        simulator.start();
        if (seconds > 0) {
          Thread.sleep(seconds * 1000L);
        } else {
          CountDownLatch stop = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
          stop.await();
        }
        simulator.close();
        if (otlp != null) {
          otlp.close();
        }
        source.awaitCaughtUp(Duration.ofSeconds(30));
        source.close();
        pipeline.flush();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("spans", pipeline.featureStats().spans());
        summary.put("traces", pipeline.featureStats().traces());
        summary.put("windows", pipeline.featureStats().windows());
        summary.put("lateSpans", pipeline.featureStats().lateSpans());
        summary.put("splitTraceSpans", pipeline.featureStats().splitTraceSpans());
        summary.put("metricPoints", pipeline.signalStats().points());
        summary.put("logRecords", pipeline.signalStats().logs());
        summary.put("latePoints", pipeline.signalStats().latePoints());
        summary.put("lateLogs", pipeline.signalStats().lateLogs());
        summary.put("incidents", pipeline.incidents().size());
        summary.put("deadLetters", source.deadLetters());
        printer.event("summary", summary, "summary: " + summary);
        models.close();
      }
    }
    return 0;
  }
}
