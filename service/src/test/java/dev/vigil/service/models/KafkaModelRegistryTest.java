package dev.vigil.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.ingest.KafkaTopics;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ModelProvenance;
import dev.vigil.models.registry.ModelRecords;
import dev.vigil.models.registry.ModelStatus;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.models.registry.TrainedModelScorer;
import dev.vigil.models.retrain.RetrainConfig;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.service.Json;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import dev.vigil.service.runtime.VigilRuntime;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model registry in the compacted {@code vigil.models} topic on a real broker: versions
 * numbered per service, read back by another instance, swapped into a scorer, a record of another
 * feature schema or a newer format refused with the version before it kept; and a running {@code
 * vigil run} runtime ({@code models.registry} auto) picking a promoted model up without a restart.
 */
@Tag("integration")
class KafkaModelRegistryTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-03T00:00:00Z"), ZoneOffset.UTC);
  private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new EmbeddedKafkaBroker();
    broker.start();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", broker.bootstrapServers());
  }

  /** Normal windows of a service in the detector vector's transform. */
  static List<FeatureVector> windows(int n, double p50Millis, long seed) {
    Random r = new Random(seed);
    List<FeatureVector> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double rate = 20 * (1 + 0.3 * Math.sin(i / 50.0)) * (1 + 0.05 * r.nextGaussian());
      double p50 = p50Millis * (1 + 0.08 * r.nextGaussian());
      out.add(
          new FeatureVector(
              T0.plusSeconds(10L * i),
              new double[] {
                Math.log1p(rate),
                Math.max(0, 0.005 + 0.004 * r.nextGaussian()),
                Math.log1p(p50),
                Math.log1p(p50 * 2.2 * (1 + 0.1 * r.nextGaussian())),
                Math.log1p(p50 * 0.8 * (1 + 0.1 * r.nextGaussian()))
              }));
    }
    return out;
  }

  private static RegisteredModel trained(String service, long seed) {
    return new ServiceRetrainer(RetrainConfig.defaults(), CLOCK)
        .retrain(service, windows(600, 40, seed), Optional.empty())
        .promote()
        .orElseThrow();
  }

  @Test
  void versionsAreNumberedPerServiceSwappedInAndAMismatchedOneIsRefusedKeepingTheOldOne()
      throws Exception {
    String topic = "models-registry-test";
    try (KafkaModelRegistry writer = KafkaModelRegistry.open(client(), topic, (short) 1);
        KafkaModelRegistry reader = KafkaModelRegistry.open(client(), topic, (short) 1)) {
      assertThat(cleanupPolicy(topic)).isEqualTo("compact");
      assertThat(reader.current()).isEmpty();
      RegisteredModel first = trained("checkout", 1);
      assertThat(writer.promote(first).version()).isEqualTo(1);
      assertThat(writer.promote(trained("payment", 2)).version()).isEqualTo(1);
      assertThat(writer.promote(trained("checkout", 3)).version()).isEqualTo(2);

      TrainedModelScorer scorer = new TrainedModelScorer(ServiceRetrainer.schema(), CLOCK);
      ModelRegistryPoller poller = new ModelRegistryPoller(reader, scorer);
      assertThat(poller.poll())
          .containsExactlyInAnyOrder(
              "checkout: none -> " + first.kind() + " v2",
              "payment: none -> " + kindOf(reader, "payment") + " v1");
      assertThat(scorer.score("checkout", windows(1, 40, 9).get(0))).isPresent();

      // Another feature schema: refused by the scorer, v2 keeps scoring.
      RegisteredModel other = withSchemaHash(trained("checkout", 4), "0123456789abcdef");
      assertThat(writer.promote(other).version()).isEqualTo(3);
      assertThat(poller.poll())
          .singleElement()
          .asString()
          .contains("checkout: refused", "v3", "schema");
      ModelStatus checkout = status(scorer, "checkout");
      assertThat(checkout.model().orElseThrow().version()).isEqualTo(2);
      assertThat(checkout.refused()).get().asString().contains("schema");

      // A record of a newer format: reported with its offset, the version before it stays.
      ObjectNode newer =
          (ObjectNode)
              Json.MAPPER.readTree(ModelRecords.toBytes(trained("payment", 5).withVersion(2)));
      newer.put("version", ModelRecords.CURRENT_VERSION + 1);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(client(), new ByteArraySerializer(), new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    "payment".getBytes(StandardCharsets.UTF_8),
                    Json.MAPPER.writeValueAsBytes(newer)))
            .get();
      }
      assertThat(poller.poll())
          .singleElement()
          .asString()
          .contains("registry:", "offset", "version " + (ModelRecords.CURRENT_VERSION + 1));
      assertThat(reader.current("payment").orElseThrow().version()).isEqualTo(1);
      assertThat(status(scorer, "payment").model().orElseThrow().version()).isEqualTo(1);

      // A new instance reads the same state from the topic.
      try (KafkaModelRegistry late = KafkaModelRegistry.open(client(), topic, (short) 1)) {
        assertThat(late.current())
            .extracting(RegisteredModel::service, RegisteredModel::version)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("checkout", 3),
                org.assertj.core.groups.Tuple.tuple("payment", 1));
      }
    }
  }

  @Test
  void aRunningServicePicksUpAModelPromotedToTheTopicWithoutARestart(@TempDir Path state)
      throws Exception {
    KafkaTopics.ensure(broker.bootstrapServers(), List.of(KafkaTopics.OTLP_SPANS), 1, (short) 1);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var config =
        ConfigLoader.builder()
            .flag("kafka.bootstrap-servers", broker.bootstrapServers())
            .flag("kafka.application-id", "models-hot-swap")
            .flag("kafka.replication-factor", "1")
            .flag("kafka.state-dir", state.toString())
            .flag("http.port", Integer.toString(port))
            .flag("otlp.port", "0")
            .load();
    try (VigilRuntime runtime = VigilRuntime.builder(config).build()) {
      runtime.start();
      assertThat(cleanupPolicy("vigil.models")).isEqualTo("compact");
      URI uri = URI.create("http://127.0.0.1:" + port + "/api/models");
      HttpClient http = HttpClient.newHttpClient();
      assertThat(models(http, uri)).isEmpty();
      RegisteredModel promoted;
      try (KafkaModelRegistry retrain =
          KafkaModelRegistry.open(client(), "vigil.models", (short) 1)) {
        promoted = retrain.promote(trained("cart", 6));
      }
      // The poller reads the topic every 10 s.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      JsonNode shown = models(http, uri);
      while (shown.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        shown = models(http, uri);
      }
      assertThat(shown).hasSize(1);
      assertThat(shown.get(0).path("service").asText()).isEqualTo("cart");
      assertThat(shown.get(0).path("model").asText()).isEqualTo(promoted.describe());
      assertThat(shown.get(0).path("since").asText()).isNotEmpty();
    }
  }

  private static String kindOf(KafkaModelRegistry r, String service) {
    return r.current(service).orElseThrow().kind();
  }

  private static ModelStatus status(TrainedModelScorer scorer, String service) {
    return scorer.status().stream()
        .filter(s -> s.service().equals(service))
        .findFirst()
        .orElseThrow();
  }

  private static RegisteredModel withSchemaHash(RegisteredModel m, String hash) {
    ModelProvenance p = m.provenance();
    return new RegisteredModel(
        m.service(),
        m.kind(),
        m.version(),
        m.promotedAt(),
        new ModelProvenance(
            p.trainer(),
            p.trainerConfig(),
            p.dataStart(),
            p.dataEnd(),
            p.rows(),
            hash,
            p.seed(),
            p.codeVersion(),
            p.trainedAt()),
        m.tribuoProvenance(),
        m.evaluation(),
        m.calibration(),
        m.reason(),
        m.payload());
  }

  private static String cleanupPolicy(String topic) throws Exception {
    try (Admin admin = Admin.create(client())) {
      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
      return c.get("cleanup.policy").value();
    }
  }

  private static JsonNode models(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("models");
  }
}
