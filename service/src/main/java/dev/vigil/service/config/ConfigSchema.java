package dev.vigil.service.config;

import dev.vigil.features.FeatureConfig;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.ingest.http.OtlpHttpReceiver;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.forecast.PredictiveRule;
import dev.vigil.models.lstm.LstmIncrementConfig;
import dev.vigil.rca.IncidentTracker;
import dev.vigil.service.config.ConfigKey.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key {@code vigil run} (and {@code demo}) accepts, with its type, default and
 * meaning: the one place the deploy manifests, the documentation and the loader read them from.
 * Kafka client properties go under {@value #KAFKA_PROPERTIES} and are checked against Kafka's own
 * configuration names when loaded.
 *
 * <p>Environment variables: {@code VIGIL_} and the key upper-cased with {@code .} and {@code -} as
 * {@code _} ({@code kafka.bootstrap-servers} is {@code VIGIL_KAFKA_BOOTSTRAP_SERVERS}); for a Kafka
 * property, what follows {@code VIGIL_KAFKA_PROPERTIES_} is lower-cased with {@code _} as {@code .}
 * ({@code VIGIL_KAFKA_PROPERTIES_SECURITY_PROTOCOL} is {@code security.protocol}). Secrets are read
 * from the environment or a file only: {@value #LLM_API_KEY_ENV} and {@value #HTTP_TOKEN_ENV}.
 */
public final class ConfigSchema {
  public static final String KAFKA_PROPERTIES = "kafka.properties.";
  public static final String ENV_PREFIX = "VIGIL_";
  public static final String LLM_API_KEY_ENV = "VIGIL_LLM_API_KEY";
  public static final String HTTP_TOKEN_ENV = "VIGIL_HTTP_TOKEN";

  /** Environment variables that carry secrets rather than keys; accepted, never echoed. */
  public static final List<String> SECRET_ENV = List.of(LLM_API_KEY_ENV, HTTP_TOKEN_ENV);

  private static final Map<String, ConfigKey> KEYS = build();

  private ConfigSchema() {}

  private static Map<String, ConfigKey> build() {
    List<ConfigKey> k = new ArrayList<>();
    MonitorConfig m = MonitorConfig.defaults();
    FeatureConfig f = FeatureConfig.defaults();
    k.add(
        key(
            "kafka.bootstrap-servers",
            Type.STRING,
            null,
            "Kafka bootstrap servers, host:port[,host:port]"));
    k.add(
        key(
            "kafka.application-id",
            Type.STRING,
            "vigil",
            "Kafka Streams application id; instances sharing it share the partitions"));
    k.add(
        key(
            "kafka.topics.spans",
            Type.STRING,
            KafkaTopics.OTLP_SPANS,
            "OTLP traces topic (the Collector kafka exporter's default)"));
    k.add(key("kafka.topics.metrics", Type.STRING, KafkaTopics.OTLP_METRICS, "OTLP metrics topic"));
    k.add(key("kafka.topics.logs", Type.STRING, KafkaTopics.OTLP_LOGS, "OTLP logs topic"));
    k.add(
        new ConfigKey(
            "kafka.encoding",
            Type.ENUM,
            "auto",
            List.of("auto", "otlp_proto", "otlp_json"),
            "encoding of the input topics (the Collector kafka exporter's `encoding`); auto detects per record"));
    k.add(
        key(
            "kafka.partition-traces-by-id",
            Type.BOOLEAN,
            "false",
            "the exporter partitions spans by trace id (partition_traces_by_id): skip the repartition"));
    k.add(
        key(
            "kafka.topics.dead-letters",
            Type.STRING,
            KafkaTopics.DLQ,
            "dead-letter topic: original bytes + reason headers"));
    k.add(
        key(
            "kafka.topics.anomalies",
            Type.STRING,
            KafkaTopics.ANOMALIES,
            "anomalies output topic"));
    k.add(key("kafka.topics.alerts", Type.STRING, KafkaTopics.ALERTS, "alerts output topic"));
    k.add(
        key(
            "kafka.topics.incidents",
            Type.STRING,
            KafkaTopics.INCIDENTS,
            "incidents output topic, keyed by incident id"));
    k.add(
        key(
            "kafka.topics.models",
            Type.STRING,
            "vigil.models",
            "compacted topic of promoted model versions"));
    k.add(
        key(
            "kafka.replication-factor",
            Type.INT,
            "-1",
            "replication of the topics Vigil creates (-1: the broker's default)"));
    k.add(
        key(
            "kafka.partitions",
            Type.INT,
            "0",
            "partitions of the trace repartition topic (0: as many as the spans topic)"));
    k.add(key("kafka.stream-threads", Type.INT, "1", "Kafka Streams threads per instance"));
    k.add(
        key(
            "kafka.standby-replicas",
            Type.INT,
            "0",
            "standby copies of each state store on other instances (faster fail-over)"));
    k.add(
        key(
            "kafka.state-dir",
            Type.PATH,
            System.getProperty("java.io.tmpdir") + "/vigil-streams",
            "Kafka Streams state directory"));
    k.add(key("windows.size", Type.DURATION, "10s", "window length"));
    k.add(
        key(
            "windows.out-of-orderness",
            Type.DURATION,
            seconds(f.outOfOrderness().toSeconds()),
            "how late a span may arrive before its window closes"));
    k.add(
        key(
            "windows.max-trace-duration",
            Type.DURATION,
            seconds(f.maxTraceDuration().toSeconds()),
            "a trace still open after this is assembled as it is"));
    k.add(
        key(
            "windows.max-pending-traces",
            Type.INT,
            Integer.toString(f.maxPendingTraces()),
            "traces held open at most (older ones are closed early and counted)"));
    k.add(
        key(
            "detectors.min-requests",
            Type.INT,
            Integer.toString(m.minRequests()),
            "requests a service window needs to be scored"));
    k.add(
        key(
            "detectors.baseline-windows",
            Type.INT,
            Integer.toString(m.baselineWindows()),
            "windows in the robust baseline"));
    k.add(
        key(
            "detectors.min-baseline-windows",
            Type.INT,
            Integer.toString(m.minBaselineWindows()),
            "windows before a baseline may confirm an anomaly"));
    k.add(
        key(
            "detectors.z-threshold",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(m.zThreshold()),
            "robust z-score an anomaly needs"));
    k.add(
        key(
            "detectors.strong-z",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(m.strongZ()),
            "robust z-score that is anomalous alone"));
    k.add(
        key(
            "detectors.min-latency-change",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(m.minLatencyChange()),
            "relative latency change an anomaly needs"));
    k.add(
        key(
            "detectors.min-latency-millis",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(m.minLatencyMillis()),
            "absolute latency change (ms) an anomaly needs"));
    k.add(
        key(
            "detectors.min-error-rate-change",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(m.minErrorRateChange()),
            "error-rate change an anomaly needs"));
    k.add(
        key(
            "detectors.min-errors",
            Type.INT,
            Integer.toString(m.minErrors()),
            "errors a window needs for an error anomaly"));
    k.add(
        key(
            "detectors.min-tail-requests",
            Type.INT,
            Integer.toString(m.minTailRequests()),
            "requests a tail quantile needs"));
    k.add(
        key(
            "incidents.min-consecutive",
            Type.INT,
            Integer.toString(IncidentTracker.DEFAULT_MIN_CONSECUTIVE),
            "anomalous windows in a row that open an incident"));
    k.add(
        key(
            "incidents.quiet-windows",
            Type.INT,
            Integer.toString(IncidentTracker.DEFAULT_QUIET_WINDOWS),
            "quiet windows in a row that resolve it"));
    k.add(key("http.port", Type.PORT, "8080", "HTTP API, UI, /health, /ready, /metrics (0: off)"));
    k.add(
        key(
            "http.bind",
            Type.STRING,
            "127.0.0.1",
            "address of the HTTP API; other than loopback it requires a bearer token"));
    k.add(
        key(
            "http.token-file",
            Type.PATH,
            null,
            "file holding the API bearer token (or " + HTTP_TOKEN_ENV + ")"));
    k.add(key("http.tls.keystore", Type.PATH, null, "PKCS12 keystore: serve the API over TLS"));
    k.add(
        key(
            "http.tls.keystore-password-file",
            Type.PATH,
            null,
            "file holding the keystore password"));
    k.add(
        key(
            "otlp.port",
            Type.PORT,
            Integer.toString(OtlpHttpReceiver.DEFAULT_PORT),
            "OTLP/HTTP receiver (0: off)"));
    k.add(key("otlp.bind", Type.STRING, "127.0.0.1", "address of the OTLP/HTTP receiver"));
    k.add(
        key(
            "alerts.renotify-interval",
            Type.DURATION,
            "5m",
            "re-notify a firing alert this often"));
    k.add(
        key(
            "predictive.enabled",
            Type.BOOLEAN,
            "false",
            "predictive alerts: forecast each service's latency and alert before it crosses its"
                + " alert level (needs a trained forecaster: vigil retrain promotes one to the model"
                + " registry, the demo trains one on its warm-up; off by default, the demo turns it"
                + " on for a ramp fault)"));
    k.add(
        key(
            "predictive.horizon",
            Type.DURATION,
            "5m",
            "how far ahead the forecast looks; a multiple of windows.size, at most the trained"
                + " forecaster's horizon"));
    k.add(
        key(
            "predictive.series",
            Type.STRING,
            "p95_latency",
            "latency series forecast, comma-separated: p50_latency, p95_latency, self_p95_latency"));
    k.add(
        key(
            "predictive.margin",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(PredictiveRule.DEFAULT_MARGIN),
            "a forecast must pass the alert level by this many times the series' noise (0: reach"
                + " it)"));
    k.add(
        key(
            "predictive.trend-z",
            Type.NON_NEGATIVE_DOUBLE,
            Double.toString(PredictiveRule.DEFAULT_TREND_Z),
            "the Mann-Kendall z the last windows' rise must reach before a forecast may alert (0:"
                + " no trend test)"));
    k.add(
        key(
            "predictive.confirm-windows",
            Type.INT,
            Integer.toString(PredictiveRule.DEFAULT_CONFIRMATIONS),
            "consecutive windows a crossing must be forecast in before it alerts"));
    k.add(
        key(
            "predictive.training-sequences",
            Type.INT,
            Integer.toString(LstmIncrementConfig.DEFAULT_MAX_SEQUENCES_PER_EPOCH),
            "sequences each epoch of the forecaster's training (vigil retrain) draws at most, a"
                + " fresh seeded draw each epoch; training time grows in proportion (a day of 50"
                + " services cuts some 426,000)"));
    k.add(
        key(
            "sinks.alertmanager.url",
            Type.URL,
            null,
            "Alertmanager base URL (alerts POSTed to <url>/api/v2/alerts)"));
    k.add(
        key(
            "sinks.webhook.url",
            Type.URL,
            null,
            "webhook receiving Alertmanager's webhook payload (version 4)"));
    k.add(key("sinks.slack.url", Type.URL, null, "Slack incoming-webhook URL"));
    k.add(
        new ConfigKey(
            "llm.provider",
            Type.ENUM,
            "none",
            List.of("none", "openai", "anthropic", "ollama"),
            "language model wording the answers (key from "
                + LLM_API_KEY_ENV
                + "; ollama needs none)"));
    k.add(key("llm.url", Type.URL, null, "language model API base URL"));
    k.add(key("llm.model", Type.STRING, null, "language model name"));
    k.add(
        key(
            "llm.redact",
            Type.REGEX_LIST,
            null,
            "Java regular expressions (a YAML list, or one a line) whose matches are replaced by"
                + " [REDACTED] in everything sent to the language model, in addition to the"
                + " built-in ones (e-mail and IPv4 addresses, bearer tokens, password/secret/token/"
                + "api-key values, card-like digit runs); these patterns, without the built-in"
                + " ones, are also applied to the labels and annotations of alert notifications"
                + " (Alertmanager, webhook, Slack)"));
    k.add(
        new ConfigKey(
            "models.registry",
            Type.ENUM,
            "auto",
            List.of("auto", "kafka", "directory", "none"),
            "where promoted models (vigil retrain) are kept and the service reads them from, swapping"
                + " in new versions without a restart: kafka = the compacted topic"
                + " kafka.topics.models (created if missing), directory = models.registry-dir,"
                + " none = no trained models; auto = the directory when models.registry-dir is set,"
                + " else kafka"));
    k.add(
        key(
            "models.registry-dir",
            Type.PATH,
            null,
            "local model registry directory (models.registry auto or directory)"));
    k.add(key("output.json", Type.BOOLEAN, "false", "print alerts and incidents as JSON lines"));
    Map<String, ConfigKey> out = new LinkedHashMap<>();
    for (ConfigKey key : k) {
      if (out.put(key.name(), key) != null) {
        throw new IllegalStateException("duplicate configuration key " + key.name());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static String seconds(long s) {
    return s + "s";
  }

  private static ConfigKey key(String name, Type type, String def, String doc) {
    return new ConfigKey(name, type, def, List.of(), doc);
  }

  /**
   * All keys, in documentation order (Kafka client properties are under {@value
   * #KAFKA_PROPERTIES}).
   */
  public static List<ConfigKey> keys() {
    return List.copyOf(KEYS.values());
  }

  public static Optional<ConfigKey> find(String name) {
    return Optional.ofNullable(KEYS.get(name));
  }

  /** True for a schema key or a Kafka client property key. */
  public static boolean accepts(String name) {
    return KEYS.containsKey(name)
        || (name.startsWith(KAFKA_PROPERTIES) && name.length() > KAFKA_PROPERTIES.length());
  }

  /** The environment variable that sets a key. */
  public static String envName(String key) {
    if (key.startsWith(KAFKA_PROPERTIES)) {
      return ENV_PREFIX
          + "KAFKA_PROPERTIES_"
          + key.substring(KAFKA_PROPERTIES.length()).replace('.', '_').toUpperCase(Locale.ROOT);
    }
    return ENV_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The key an environment variable sets, if it is one of Vigil's. */
  public static Optional<String> keyOfEnv(String env) {
    if (!env.startsWith(ENV_PREFIX) || SECRET_ENV.contains(env)) {
      return Optional.empty();
    }
    String kafkaProps = ENV_PREFIX + "KAFKA_PROPERTIES_";
    if (env.startsWith(kafkaProps) && env.length() > kafkaProps.length()) {
      return Optional.of(
          KAFKA_PROPERTIES
              + env.substring(kafkaProps.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
    }
    for (String key : KEYS.keySet()) {
      if (envName(key).equals(env)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }
}
