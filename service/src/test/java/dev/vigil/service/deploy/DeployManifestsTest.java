package dev.vigil.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.service.cli.RetrainCommand;
import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.ConfigKey;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.config.ConfigSchema;
import dev.vigil.service.config.VigilConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the deployment files of {@code deploy/} against the code, since no container engine or
 * cluster runs where Vigil is built: the kustomize overlays as {@code kubectl kustomize} renders
 * them, the compose stack, the Collector configuration and the Dockerfile. Every {@code vigil run}
 * configuration they give (the mounted vigil.yaml, the {@code VIGIL_*} variables of the image and
 * the container, the flags) is loaded by {@link ConfigLoader}, the loader {@code vigil run} uses,
 * so an unknown key, variable or bad value fails here as it would at start. Then the fields Vigil
 * relies on: ports, probe routes, the bearer token's file, the Collector's kafka exporter topics
 * and encodings against {@link ConfigSchema}'s defaults, and replicas against partitions.
 */
@Tag("integration")
class DeployManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The HTTP API's unauthenticated routes, the only ones a probe may use. */
  private static final Set<String> PROBE_ROUTES =
      Set.of(dev.vigil.service.http.HttpApi.HEALTH, dev.vigil.service.http.HttpApi.READY);

  private static final String READY = dev.vigil.service.http.HttpApi.READY;
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  private static final Path DEPLOY = locateDeploy();

  @TempDir Path tmp;

  // ---------------------------------------------------------------- compose

  @Test
  void composeRunsVigilWithAConfigurationItAccepts() throws IOException {
    VigilConfig config = composeVigilConfig();
    assertThat(config.string("kafka.bootstrap-servers")).isEqualTo("kafka:9092");
    assertThat(config.string("sinks.alertmanager.url")).startsWith("http://");
  }

  @Test
  void composeWiresPortsTokenPrometheusAndAlertmanager() throws IOException {
    JsonNode compose = readYaml(DEPLOY.resolve("compose.yaml"));
    JsonNode services = compose.path("services");
    VigilConfig config = composeVigilConfig();
    int httpPort = config.intValue("http.port");
    JsonNode vigil = services.path("vigil");

    assertThat(containerPorts(vigil)).as("vigil's published ports").contains(httpPort);
    assertThat(LOOPBACK)
        .as("http.bind must reach beyond the container")
        .doesNotContain(config.string("http.bind"));

    String secret = composeSecretOf(config.string("http.token-file"), vigil, compose);
    JsonNode prometheus = readYaml(DEPLOY.resolve("compose/prometheus.yml"));
    JsonNode job = scrapeJob(prometheus, "vigil");
    assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
    assertThat(texts(job.path("static_configs").path(0).path("targets")))
        .containsExactly("vigil:" + httpPort);
    assertThat(job.path("authorization").path("credentials_file").asText())
        .as("Prometheus must send the token Vigil requires off loopback")
        .isEqualTo("/run/secrets/" + secret);
    assertThat(texts(services.path("prometheus").path("secrets"))).contains(secret);
    assertThat(mounts(services.path("prometheus"))).containsKey("/etc/prometheus/prometheus.yml");

    URI alertmanager = URI.create(config.string("sinks.alertmanager.url"));
    assertThat(services.has(alertmanager.getHost()))
        .as("sinks.alertmanager.url names the compose service " + alertmanager.getHost())
        .isTrue();
    assertThat(containerPorts(services.path(alertmanager.getHost())))
        .contains(alertmanager.getPort());
    assertThat(
            texts(
                prometheus
                    .path("alerting")
                    .path("alertmanagers")
                    .path(0)
                    .path("static_configs")
                    .path(0)
                    .path("targets")))
        .containsExactly(alertmanager.getHost() + ":" + alertmanager.getPort());
  }

  @Test
  void collectorWritesTheTopicsAndEncodingsVigilReads() throws IOException {
    JsonNode collector = readYaml(DEPLOY.resolve("compose/collector.yaml"));
    JsonNode kafka = collector.path("exporters").path("kafka");
    assertThat(kafka.isObject()).as("collector.yaml has a kafka exporter").isTrue();
    VigilConfig config = composeVigilConfig();
    Map<String, String> topicKeys =
        Map.of(
            "traces", "kafka.topics.spans",
            "metrics", "kafka.topics.metrics",
            "logs", "kafka.topics.logs");
    ConfigKey encoding = ConfigSchema.find("kafka.encoding").orElseThrow();
    List<String> decoded =
        config.string("kafka.encoding").equals("auto")
            ? encoding.allowed().stream().filter(e -> !e.equals("auto")).toList()
            : List.of(config.string("kafka.encoding"));
    for (Map.Entry<String, String> e : topicKeys.entrySet()) {
      JsonNode signal = kafka.path(e.getKey());
      String topic = signal.path("topic").asText("");
      String vigilDefault = ConfigSchema.find(e.getValue()).orElseThrow().defaultValue();
      assertThat(topic)
          .as("exporter %s topic vs Vigil's default", e.getKey())
          .isEqualTo(vigilDefault);
      assertThat(topic)
          .as("exporter %s topic vs %s", e.getKey(), e.getValue())
          .isEqualTo(config.string(e.getValue()));
      assertThat(signal.path("encoding").asText("otlp_proto"))
          .as("exporter %s encoding", e.getKey())
          .isIn(decoded);
      JsonNode pipeline = collector.path("service").path("pipelines").path(e.getKey());
      assertThat(texts(pipeline.path("exporters"))).as("%s pipeline", e.getKey()).contains("kafka");
    }
    assertThat(String.join(",", texts(kafka.path("brokers"))))
        .isEqualTo(config.string("kafka.bootstrap-servers"));
    assertThat(kafka.path("partition_traces_by_id").asBoolean(false))
        .as("partition_traces_by_id vs kafka.partition-traces-by-id")
        .isEqualTo(config.bool("kafka.partition-traces-by-id"));

    String topicsJob =
        String.join(
            " ",
            texts(
                readYaml(DEPLOY.resolve("compose.yaml"))
                    .path("services")
                    .path("topics")
                    .path("command")));
    for (String key : topicKeys.values()) {
      assertThat(topicsJob).as("the topics job creates " + key).contains(config.string(key));
    }
  }

  @Test
  void dockerfileRunsVigilAndChecksReadinessOnTheDefaultPort() throws IOException {
    Dockerfile docker = Dockerfile.read(DEPLOY.resolve("Dockerfile"));
    String defaultPort = ConfigSchema.find("http.port").orElseThrow().defaultValue();
    assertThat(docker.expose).contains(defaultPort);
    assertThat(docker.healthcheck)
        .contains("/dev/tcp/127.0.0.1/" + defaultPort)
        .contains("GET " + READY + " ");
    assertThat(docker.entrypoint).contains("-jar");
    assertThat(docker.cmd).containsExactly("run");
    assertThat(docker.user).isNotEmpty().doesNotStartWith("0").isNotEqualTo("root");
    // The image's variables alone are a configuration `vigil run` accepts.
    ConfigLoader.builder().env(docker.env).load();
  }

  // ------------------------------------------------------------- kubernetes

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void kustomizeOverlayRunsVigilWithWhatItAccepts(String overlay) throws Exception {
    Rendered k8s = render(overlay);
    JsonNode deployment = k8s.one("Deployment", "vigil");
    JsonNode pod = deployment.path("spec").path("template");
    JsonNode container = container(pod, "vigil");
    VigilConfig config = k8sVigilConfig(k8s, pod, container);

    int httpPort = config.intValue("http.port");
    assertThat(LOOPBACK)
        .as("http.bind: the kubelet probes the pod's address")
        .doesNotContain(config.string("http.bind"));
    JsonNode http = named(container.path("ports"), "http");
    assertThat(http.path("containerPort").asInt()).isEqualTo(httpPort);
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      if (container.path(probe).isMissingNode()) {
        continue;
      }
      assertThat(get.path("path").asText()).as(probe).isIn(PROBE_ROUTES);
      assertThat(resolvePort(get.path("port"), container)).as(probe + " port").isEqualTo(httpPort);
    }
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo(READY);

    // The bearer token's file comes from the Secret the ServiceMonitor uses too.
    SecretRef token = secretFileOf(config.string("http.token-file"), pod, container);
    if (overlay.equals("dev")) {
      assertThat(k8s.find("Secret", token.secret)).as("dev generates " + token.secret).isNotNull();
    }

    JsonNode service = k8s.one("Service", "vigil");
    JsonNode servicePort = named(service.path("spec").path("ports"), "http");
    assertThat(resolvePort(servicePort.path("targetPort"), container)).isEqualTo(httpPort);
    assertSelects(service.path("spec").path("selector"), pod);

    JsonNode cron = k8s.one("CronJob", "vigil-retrain");
    JsonNode job = cron.path("spec").path("jobTemplate").path("spec").path("template");
    List<String> cronArgs = texts(container(job, "retrain").path("args"));
    assertThat(cronArgs).as("the image's entry point runs the subcommand").startsWith("retrain");
    assertThat(String.join(" ", cronArgs)).contains("--config " + configPath(container));
    // Every option is one vigil retrain takes, the history is a Kafka time range, the times parse.
    RetrainCommand.check(
        cronArgs.subList(1, cronArgs.size()), Instant.parse("2026-03-02T03:17:00Z"));
    assertThat(cronArgs).contains("--from");
    assertThat(configMapOf(configPath(container), job, container(job, "retrain")))
        .as("the retraining job reads the pipeline's configuration")
        .isEqualTo(configMapOf(configPath(container), pod, container));

    if (overlay.equals("prod")) {
      JsonNode monitor = k8s.one("ServiceMonitor", "vigil");
      JsonNode endpoint = monitor.path("spec").path("endpoints").path(0);
      assertThat(endpoint.path("port").asText()).isEqualTo(servicePort.path("name").asText());
      assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
      JsonNode credentials = endpoint.path("authorization").path("credentials");
      assertThat(credentials.path("name").asText()).isEqualTo(token.secret);
      assertThat(credentials.path("key").asText()).isEqualTo(token.key);
      assertSelects(monitor.path("spec").path("selector").path("matchLabels"), service);
    }
  }

  @Test
  void prodRunsAtMostOneReplicaPerPartitionWithADisruptionBudget() throws Exception {
    Rendered k8s = render("prod");
    JsonNode deployment = k8s.one("Deployment", "vigil");
    int replicas = deployment.path("spec").path("replicas").asInt();
    String partitions =
        deployment.path("metadata").path("annotations").path("vigil.dev/input-partitions").asText();
    assertThat(partitions).as("prod states the input partitions it assumes").isNotEmpty();
    assertThat(replicas)
        .as("Kafka Streams instances sharing kafka.application-id beyond the partitions idle")
        .isBetween(2, Integer.parseInt(partitions));
    JsonNode pod = deployment.path("spec").path("template");
    VigilConfig config = k8sVigilConfig(k8s, pod, container(pod, "vigil"));
    assertThat(config.intValue("kafka.standby-replicas")).isLessThan(replicas);

    JsonNode pdb = k8s.one("PodDisruptionBudget", "vigil");
    assertSelects(pdb.path("spec").path("selector").path("matchLabels"), pod);
    JsonNode maxUnavailable = pdb.path("spec").path("maxUnavailable");
    assertThat(maxUnavailable.isInt() ? maxUnavailable.asInt() : replicas)
        .isBetween(1, replicas - 1);

    JsonNode spec = pod.path("spec");
    assertThat(spec.path("affinity").path("podAntiAffinity").isObject()).isTrue();
    JsonNode requests = container(pod, "vigil").path("resources").path("requests");
    assertThat(requests.has("cpu") && requests.has("memory")).isTrue();
  }

  @Test
  void anUnknownKeyOrVariableFailsTheCheck() throws IOException {
    Path file = tmp.resolve("vigil.yaml");
    Files.writeString(
        file, Files.readString(DEPLOY.resolve("compose/vigil.yaml")) + "windows:\n  sise: 10s\n");
    assertThatThrownBy(() -> loadRun(file, Map.of(), List.of("run", "--config", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("windows.sise");
    Path good = DEPLOY.resolve("compose/vigil.yaml");
    assertThatThrownBy(
            () -> loadRun(good, Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVER", "k:9092"), List.of("run")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP_SERVER");
    assertThatThrownBy(() -> loadRun(good, Map.of(), List.of("run", "--bootstrap", "k:9092")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("--bootstrap");
  }

  // ---------------------------------------------------------------- helpers

  /** Loads a {@code vigil run} configuration as the command would: file, environment, flags. */
  private static VigilConfig loadRun(Path file, Map<String, String> env, List<String> args) {
    assertThat(args).as("the command").isNotEmpty();
    assertThat(args.get(0)).isEqualTo("run");
    ConfigLoader loader = ConfigLoader.builder().file(file);
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--config" -> i++;
        case "--json" -> loader.flag("output.json", "true");
        case "--bootstrap-servers" -> loader.flag("kafka.bootstrap-servers", args.get(++i));
        case "--set" -> {
          String[] kv = args.get(++i).split("=", 2);
          loader.flag(kv[0], kv.length > 1 ? kv[1] : "");
        }
        default -> fail("unknown flag of vigil run in a manifest: " + a);
      }
    }
    for (String name : env.keySet()) {
      assertThat(name)
          .as("a variable that vigil does not read")
          .startsWith(ConfigSchema.ENV_PREFIX);
    }
    return loader.env(env).load();
  }

  private VigilConfig composeVigilConfig() throws IOException {
    JsonNode compose = readYaml(DEPLOY.resolve("compose.yaml"));
    JsonNode vigil = compose.path("services").path("vigil");
    List<String> command = texts(vigil.path("command"));
    String configPath = command.get(command.indexOf("--config") + 1);
    String hostFile = mounts(vigil).get(configPath);
    assertThat(hostFile).as("the compose file mounts " + configPath).isNotNull();
    Map<String, String> env =
        new LinkedHashMap<>(Dockerfile.read(DEPLOY.resolve("Dockerfile")).env);
    vigil
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), interpolate(e.getKey(), e.getValue().asText())));
    return loadRun(DEPLOY.resolve(hostFile).normalize(), env, command);
  }

  /** Compose's {@code ${NAME:-default}} as seen with NAME unset; secrets only from the shell. */
  private static String interpolate(String name, String value) {
    if (ConfigSchema.SECRET_ENV.contains(name)) {
      assertThat(value).as(name + " comes from the shell, never from the file").startsWith("${");
    }
    Matcher m = Pattern.compile("\\$\\{[A-Za-z0-9_]+(?::?-([^}]*))?}").matcher(value);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) == null ? "" : r.group(1)));
  }

  private static String composeSecretOf(String tokenFile, JsonNode service, JsonNode compose) {
    assertThat(tokenFile).as("http.token-file").startsWith("/run/secrets/");
    String secret = tokenFile.substring("/run/secrets/".length());
    assertThat(texts(service.path("secrets"))).contains(secret);
    assertThat(compose.path("secrets").has(secret)).as("top-level secret " + secret).isTrue();
    return secret;
  }

  private static Map<String, String> mounts(JsonNode service) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : texts(service.path("volumes"))) {
      String[] parts = v.split(":");
      out.put(parts[1], parts[0]);
    }
    return out;
  }

  private static List<Integer> containerPorts(JsonNode service) {
    List<Integer> out = new ArrayList<>();
    for (String p : texts(service.path("ports"))) {
      out.add(Integer.parseInt(p.substring(p.lastIndexOf(':') + 1).replace("/tcp", "")));
    }
    return out;
  }

  private static JsonNode scrapeJob(JsonNode prometheus, String name) {
    for (JsonNode job : prometheus.path("scrape_configs")) {
      if (job.path("job_name").asText().equals(name)) {
        return job;
      }
    }
    throw new AssertionError("no scrape job " + name);
  }

  private VigilConfig k8sVigilConfig(Rendered k8s, JsonNode pod, JsonNode container)
      throws IOException {
    List<String> args = texts(container.path("args"));
    String configMap = configMapOf(configPath(container), pod, container);
    JsonNode data = k8s.one("ConfigMap", configMap).path("data");
    String key = Path.of(configPath(container)).getFileName().toString();
    assertThat(data.has(key)).as("ConfigMap %s holds %s", configMap, key).isTrue();
    Path file = Files.createTempFile(tmp, "vigil", ".yaml");
    Files.writeString(file, data.path(key).asText());

    Map<String, String> env =
        new LinkedHashMap<>(Dockerfile.read(DEPLOY.resolve("Dockerfile")).env);
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (ConfigSchema.SECRET_ENV.contains(name)) {
        assertThat(e.path("valueFrom").path("secretKeyRef").isObject())
            .as(name + " only from a Secret")
            .isTrue();
        continue;
      }
      assertThat(e.has("value")).as(name + " has a value").isTrue();
      env.put(name, e.path("value").asText());
    }
    return loadRun(file, env, args);
  }

  private static String configPath(JsonNode container) {
    List<String> args = texts(container.path("args"));
    int i = args.indexOf("--config");
    if (i < 0) {
      String joined = String.join(" ", args);
      Matcher m = Pattern.compile("--config (\\S+)").matcher(joined);
      assertThat(m.find()).as("--config in " + joined).isTrue();
      return m.group(1);
    }
    return args.get(i + 1);
  }

  /** The ConfigMap mounted where {@code path} lives. */
  private static String configMapOf(String path, JsonNode pod, JsonNode container) {
    String volume = volumeMountedAt(Path.of(path).getParent().toString(), container);
    JsonNode v = named(pod.path("spec").path("volumes"), volume);
    assertThat(v.path("configMap").isObject()).as(path + " comes from a ConfigMap").isTrue();
    return v.path("configMap").path("name").asText();
  }

  private record SecretRef(String secret, String key) {}

  private static SecretRef secretFileOf(String path, JsonNode pod, JsonNode container) {
    Path p = Path.of(path);
    String volume = volumeMountedAt(p.getParent().toString(), container);
    JsonNode secret = named(pod.path("spec").path("volumes"), volume).path("secret");
    assertThat(secret.isObject()).as(path + " comes from a Secret").isTrue();
    for (JsonNode item : secret.path("items")) {
      if (item.path("path").asText().equals(p.getFileName().toString())) {
        return new SecretRef(secret.path("secretName").asText(), item.path("key").asText());
      }
    }
    return new SecretRef(secret.path("secretName").asText(), p.getFileName().toString());
  }

  private static String volumeMountedAt(String dir, JsonNode container) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(dir)) {
        return m.path("name").asText();
      }
    }
    throw new AssertionError("nothing is mounted at " + dir + " in " + container.path("name"));
  }

  private static int resolvePort(JsonNode port, JsonNode container) {
    return port.isInt()
        ? port.asInt()
        : named(container.path("ports"), port.asText()).path("containerPort").asInt();
  }

  private static void assertSelects(JsonNode selector, JsonNode target) {
    JsonNode labels = target.path("metadata").path("labels");
    assertThat(selector.size()).as("selector").isPositive();
    selector
        .fields()
        .forEachRemaining(
            e ->
                assertThat(labels.path(e.getKey()).asText())
                    .as("label " + e.getKey())
                    .isEqualTo(e.getValue().asText()));
  }

  private static JsonNode container(JsonNode podTemplate, String name) {
    return named(podTemplate.path("spec").path("containers"), name);
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no entry named " + name + " in " + list);
  }

  private static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode readYaml(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  /** The objects {@code kubectl kustomize} renders from an overlay. */
  private record Rendered(List<JsonNode> objects) {
    JsonNode find(String kind, String name) {
      for (JsonNode o : objects) {
        if (o.path("kind").asText().equals(kind)
            && o.path("metadata").path("name").asText().equals(name)) {
          return o;
        }
      }
      return null;
    }

    JsonNode one(String kind, String name) {
      JsonNode o = find(kind, name);
      if (o == null) {
        throw new AssertionError("the rendered overlay has no " + kind + " " + name);
      }
      return o;
    }
  }

  private static Rendered render(String overlay) throws Exception {
    Path kubectl = onPath("kubectl");
    Assumptions.assumeTrue(kubectl != null, "kubectl is not installed (apt-get install kubectl)");
    Path dir = DEPLOY.resolve("kubernetes/overlays").resolve(overlay);
    Path out = Files.createTempFile("kustomize", ".yaml");
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process p =
          new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
      }
      assertThat(p.exitValue())
          .as("kubectl kustomize %s: %s", dir, Files.readString(err, StandardCharsets.UTF_8))
          .isZero();
      List<JsonNode> objects = new ArrayList<>();
      YAML.readerFor(JsonNode.class)
          .readValues(out.toFile())
          .forEachRemaining(o -> objects.add((JsonNode) o));
      return new Rendered(objects);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Path onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static Path locateDeploy() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy/compose.yaml"))) {
        return p.resolve("deploy");
      }
    }
    throw new IllegalStateException("no deploy/compose.yaml above " + Path.of("").toAbsolutePath());
  }

  /** The instructions of the Dockerfile that Vigil's configuration depends on. */
  private static final class Dockerfile {
    final Map<String, String> env = new LinkedHashMap<>();
    final List<String> expose = new ArrayList<>();
    String healthcheck = "";
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    String user = "";

    static Dockerfile read(Path file) throws IOException {
      Dockerfile d = new Dockerfile();
      // Join continuation lines; only the final stage's instructions count.
      String text = Files.readString(file).replaceAll("\\\\\\n", " ");
      List<String> lines = Arrays.asList(text.split("\n"));
      int last = 0;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith("FROM ")) {
          last = i;
        }
      }
      for (String line : lines.subList(last, lines.size())) {
        String[] parts = line.strip().split("\\s+", 2);
        if (parts.length < 2) {
          continue;
        }
        switch (parts[0]) {
          case "ENV" -> {
            String[] kv = parts[1].split("=", 2);
            d.env.put(kv[0], kv.length > 1 ? kv[1] : "");
          }
          case "EXPOSE" -> d.expose.addAll(Arrays.asList(parts[1].split("\\s+")));
          case "HEALTHCHECK" -> d.healthcheck = parts[1];
          case "ENTRYPOINT" -> d.entrypoint = texts(YAML.readTree(parts[1]));
          case "CMD" -> d.cmd = texts(YAML.readTree(parts[1]));
          case "USER" -> d.user = parts[1];
          default -> {}
        }
      }
      return d;
    }
  }
}
