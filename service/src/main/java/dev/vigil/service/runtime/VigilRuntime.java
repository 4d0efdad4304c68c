package dev.vigil.service.runtime;

import dev.vigil.ingest.http.OtlpHttpReceiver;
import dev.vigil.ingest.http.server.BearerToken;
import dev.vigil.ingest.http.server.TlsOptions;
import dev.vigil.models.forecast.Forecaster;
import dev.vigil.models.forecast.PredictiveAlerter;
import dev.vigil.models.lstm.LstmForecasterRecords;
import dev.vigil.models.registry.ForecasterSlot;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.TrainedModelScorer;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.service.alerting.AlertNotifier;
import dev.vigil.service.alerting.AlertmanagerSink;
import dev.vigil.service.alerting.SlackSink;
import dev.vigil.service.alerting.WebhookSink;
import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.PredictiveConfig;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.http.AlertsHandler;
import dev.vigil.service.http.HttpApi;
import dev.vigil.service.http.ModelsHandler;
import dev.vigil.service.http.SilencesHandler;
import dev.vigil.service.models.ModelRegistries;
import dev.vigil.service.models.ModelRegistryPoller;
import dev.vigil.service.pipeline.PipelineListener;
import dev.vigil.service.pipeline.PipelineLiveState;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.service.streams.VigilStreams;
import dev.vigil.telemetry.Signal;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Vigil service instance assembled from one configuration: the Kafka Streams application
 * (sources, trace assembly, windows, detectors, incidents, alerts, output topics), the HTTP API
 * with {@code /health}, {@code /ready} and {@code /metrics}, and the OTLP/HTTP receiver (which
 * forwards exports to the input topics). {@code vigil run} starts it against a cluster; {@code
 * vigil demo} against its embedded broker, with the simulator beside it.
 */
public final class VigilRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilRuntime.class);

  private final VigilConfig config;
  private final PrometheusMeterRegistry registry;
  private final VigilStreams streams;
  private final DiagnosticAnswerer answerer;
  private final Map<String, String> environment;
  private HttpApi api;
  private AlertNotifier notifier;
  private PipelineLiveState live;
  private TrainedModelScorer trained;
  private ModelRegistryPoller models;
  private ForecasterSlot registryForecaster;
  private OtlpHttpReceiver otlp;
  private KafkaExportSink exportSink;
  private final AtomicReference<Forecaster> forecaster = new AtomicReference<>();
  private Optional<PredictiveConfig> predictive = Optional.empty();

  private VigilRuntime(Builder b) {
    this.config = b.config;
    this.registry = b.registry;
    this.answerer = b.answerer;
    this.environment = b.environment;
    this.streams = new VigilStreams(config, registry, b.stateDir);
    b.listeners.forEach(streams::addListener);
  }

  public static Builder builder(VigilConfig config) {
    return new Builder(config);
  }

  /** Starts the stream processing, then the HTTP listeners the configuration asks for. */
  public void start() throws IOException {
    live = PipelineLiveState.over(() -> streams.engine().current().orElse(null));
    predictive = config.predictive();
    predictive.ifPresent(
        pc ->
            streams.onEngine(
                p ->
                    p.enablePredictiveAlerts(
                        new PredictiveAlerter(null, pc.horizonWindows(), pc.series(), pc.rule()),
                        forecaster::get)));
    streams.addListener(live);
    Optional<ModelRegistry> modelRegistry = ModelRegistries.forService(config);
    if (modelRegistry.isPresent()) {
      // Batch-trained models (vigil retrain), swapped in as new versions appear in the registry.
      trained = new TrainedModelScorer(ServiceRetrainer.schema(), Clock.systemUTC());
      if (predictive.isPresent()) {
        // The forecaster of the predictive alerts, promoted by vigil retrain.
        java.time.Duration window = config.features().window();
        int horizon = predictive.get().horizonWindows();
        registryForecaster =
            new ForecasterSlot(
                r -> LstmForecasterRecords.load(r, window, horizon),
                this::useForecaster,
                Clock.systemUTC());
      }
      models = new ModelRegistryPoller(modelRegistry.get(), trained, registryForecaster);
      TrainedModelScorer scorer = trained;
      streams.onEngine(p -> p.useTrainedModels(scorer));
      models.start(ModelRegistryPoller.DEFAULT_INTERVAL).forEach(c -> LOG.info("models: {}", c));
    }
    notifier = notifier();
    if (notifier != null) {
      streams.addListener(notifier);
    }
    streams.start();
    int httpPort = config.intValue("http.port");
    if (httpPort != 0) {
      Optional<BearerToken> token =
          BearerToken.resolve(environment, config.path("http.token-file").orElse(null));
      HttpApi.Builder b =
          HttpApi.builder()
              .bind(config.string("http.bind"))
              .port(httpPort)
              .registry(registry)
              .pipeline(() -> streams.engine().current().orElse(null))
              .answerer(answerer)
              .readiness(streams::readiness)
              .liveState(live);
      AlertsHandler alerts =
          new AlertsHandler(
              () -> engine().map(p -> p.alerts().alerts()).orElse(List.of()),
              id -> engine().flatMap(p -> p.incident(id)));
      b.route("/api/alerts", alerts);
      if (trained != null) {
        b.route("/api/models", new ModelsHandler(trained, registryForecaster));
      }
      b.route("/api/incidents/", alerts);
      b.route(
          "/api/silences",
          new SilencesHandler(
              streams.silences(),
              () -> engine().map(VigilPipeline::eventTime).orElse(java.time.Instant.now())));
      token.ifPresent(b::token);
      tls().ifPresent(b::tls);
      try {
        api = b.build();
      } catch (IllegalArgumentException e) {
        throw new ConfigException("http.*: " + e.getMessage());
      }
      api.start();
      LOG.info("HTTP API on {}", api.address());
    }
    int otlpPort = config.intValue("otlp.port");
    if (otlpPort != 0) {
      exportSink =
          new KafkaExportSink(
              config.string("kafka.bootstrap-servers"),
              config.kafkaProperties(),
              Map.of(
                  Signal.TRACES, config.string("kafka.topics.spans"),
                  Signal.METRICS, config.string("kafka.topics.metrics"),
                  Signal.LOGS, config.string("kafka.topics.logs")));
      try {
        otlp =
            OtlpHttpReceiver.builder()
                .bind(config.string("otlp.bind"))
                .port(otlpPort)
                .meterRegistry(registry)
                .build(exportSink);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("otlp.*: " + e.getMessage());
      }
      otlp.start();
      LOG.info("OTLP/HTTP receiver on {}", otlp.address());
    }
  }

  /** The predictive alerts' settings, empty when {@code predictive.enabled} is false. */
  public Optional<PredictiveConfig> predictive() {
    return predictive;
  }

  /**
   * Forecasts with {@code next} for the predictive alerts from the next window on (a no-op when
   * they are off); safe from any thread.
   *
   * @throws IllegalArgumentException when it cannot forecast {@code predictive.horizon}
   */
  public void useForecaster(Forecaster next) {
    if (predictive.isEmpty()) {
      return;
    }
    int horizon = predictive.get().horizonWindows();
    if (next.maxHorizon() < horizon) {
      throw new IllegalArgumentException(
          "the forecaster forecasts at most "
              + next.maxHorizon()
              + " windows ahead, predictive.horizon is "
              + horizon
              + " windows");
    }
    forecaster.set(next);
  }

  private Optional<VigilPipeline> engine() {
    return streams.engine().current();
  }

  /** The alert sinks the configuration names (sinks.*.url), or null for none. */
  private AlertNotifier notifier() {
    String external = "http://" + config.string("http.bind") + ":" + config.intValue("http.port");
    AlertNotifier.Builder b = AlertNotifier.builder(registry);
    List<String> redact = config.lines("llm.redact");
    if (!redact.isEmpty()) {
      try {
        b.redaction(dev.vigil.nlq.Redactor.of(redact)::redact);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("llm.redact: " + e.getMessage());
      }
    }
    boolean any = false;
    try {
      if (config.value("sinks.alertmanager.url").isPresent()) {
        b.sink(
            AlertmanagerSink.builder()
                .url(config.string("sinks.alertmanager.url"))
                .externalUrl(external)
                .build());
        any = true;
      }
      if (config.value("sinks.webhook.url").isPresent()) {
        b.sink(
            WebhookSink.builder()
                .url(config.string("sinks.webhook.url"))
                .externalUrl(external)
                .build());
        any = true;
      }
      if (config.value("sinks.slack.url").isPresent()) {
        b.sink(
            SlackSink.builder()
                .url(config.string("sinks.slack.url"))
                .externalUrl(external)
                .build());
        any = true;
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("sinks.*: " + e.getMessage());
    }
    return any ? b.build() : null;
  }

  private Optional<TlsOptions> tls() {
    Optional<Path> keystore = config.path("http.tls.keystore");
    if (keystore.isEmpty()) {
      return Optional.empty();
    }
    Path password =
        config
            .path("http.tls.keystore-password-file")
            .orElseThrow(
                () ->
                    new ConfigException(
                        "http.tls.keystore is set but http.tls.keystore-password-file is not:"
                            + " give the file that holds the keystore's password"));
    return Optional.of(new TlsOptions(keystore.get(), password));
  }

  public VigilStreams streams() {
    return streams;
  }

  public Optional<InetSocketAddress> apiAddress() {
    return Optional.ofNullable(api).map(HttpApi::address);
  }

  public Optional<InetSocketAddress> otlpAddress() {
    return Optional.ofNullable(otlp).map(OtlpHttpReceiver::address);
  }

  /**
   * Stops taking exports, then stops the stream processing (committing what it processed and
   * leaving the group, so the partitions move at once), then the API.
   */
  @Override
  public void close() {
    if (otlp != null) {
      otlp.close();
    }
    if (exportSink != null) {
      exportSink.close();
    }
    streams.close(Duration.ofSeconds(30));
    if (notifier != null) {
      notifier.close(Duration.ofSeconds(10));
    }
    if (models != null) {
      models.close();
    }
    if (api != null) {
      api.close();
    }
  }

  /** Options of a runtime beyond its configuration. */
  public static final class Builder {
    private final VigilConfig config;
    private PrometheusMeterRegistry registry;
    private DiagnosticAnswerer answerer = DiagnosticAnswerer.offline();
    private final List<PipelineListener> listeners = new ArrayList<>();
    private String stateDir;
    private Map<String, String> environment = Map.of();

    private Builder(VigilConfig config) {
      this.config = config;
    }

    public Builder registry(PrometheusMeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder answerer(DiagnosticAnswerer answerer) {
      this.answerer = answerer;
      return this;
    }

    /** Receives the window engine's outputs when it runs on this instance (stdout printing). */
    public Builder listener(PipelineListener listener) {
      listeners.add(listener);
      return this;
    }

    /** Overrides kafka.state-dir (two instances in one process need two). */
    public Builder stateDir(String stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** Where the API token is looked up ({@code VIGIL_HTTP_TOKEN}). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    public VigilRuntime build() {
      if (registry == null) {
        registry =
            new PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
      }
      return new VigilRuntime(this);
    }
  }
}
