package dev.vigil.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import dev.vigil.features.FeatureConfig;
import dev.vigil.ingest.http.server.BearerToken;
import dev.vigil.ingest.http.server.TlsOptions;
import dev.vigil.models.MonitorConfig;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.service.pipeline.VigilPipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on real sockets: routes, readiness, the token off loopback, TLS. */
@Tag("integration")
class HttpApiTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String TOKEN = "vigil-test-token-5d41402abc4b2a76b9719d911017c592";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;
  private HttpApi api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** A route written as other parts of the service write theirs: GET lists, POST adds. */
  private static HttpHandler silences(List<String> store) {
    return ex -> {
      byte[] out;
      int status;
      switch (ex.getRequestMethod()) {
        case "GET" -> {
          status = 200;
          out = String.join(",", store).getBytes(StandardCharsets.UTF_8);
        }
        case "POST" -> {
          store.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          status = 201;
          out = "created".getBytes(StandardCharsets.UTF_8);
        }
        default -> {
          status = 405;
          out = new byte[0];
        }
      }
      ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    };
  }

  private HttpApi start(HttpApi.Builder builder) {
    api = builder.port(0).build();
    api.start();
    return api;
  }

  private HttpResponse<String> send(HttpClient client, String method, String path, String... h)
      throws Exception {
    String scheme = api.secure() ? "https" : "http";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(scheme + "://127.0.0.1:" + api.address().getPort() + path))
            .timeout(DEADLINE)
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("mute checkout")
                    : HttpRequest.BodyPublishers.noBody());
    if (h.length > 0) {
      b.headers(h);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(CLIENT, "GET", path, headers);
  }

  @Test
  void servesTheBuiltInRoutesReadinessAndExtraRoutesWithTheirOwnMethods() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VigilPipeline pipeline =
        new VigilPipeline(FeatureConfig.defaults(), MonitorConfig.defaults(), registry);
    AtomicReference<Readiness.Status> ready =
        new AtomicReference<>(Readiness.Status.notReady("restoring 3 partitions"));
    List<String> store = new java.util.concurrent.CopyOnWriteArrayList<>();
    start(
        HttpApi.builder()
            .registry(registry)
            .pipeline(pipeline)
            .answerer(DiagnosticAnswerer.offline())
            .readiness(ready::get)
            .route("/api/silences", silences(store)));

    assertThat(get("/health").body()).isEqualTo("{\"status\":\"UP\"}");
    HttpResponse<String> notReady = get("/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body())
        .isEqualTo("{\"status\":\"NOT_READY\",\"reason\":\"restoring 3 partitions\"}");
    ready.set(Readiness.Status.READY);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/ready").body()).isEqualTo("{\"status\":\"READY\"}");

    assertThat(get("/api/incidents").body()).isEqualTo("[]");
    assertThat(get("/api/topology").statusCode()).isEqualTo(200);
    assertThat(get("/api/ask?q=why+is+checkout+slow").statusCode()).isEqualTo(200);
    assertThat(get("/api/ask").statusCode()).isEqualTo(400);
    assertThat(get("/metrics").body()).contains("# TYPE");

    HttpResponse<String> post = send(CLIENT, "POST", "/api/silences");
    assertThat(post.statusCode()).isEqualTo(201);
    assertThat(get("/api/silences").body()).isEqualTo("mute checkout");
    HttpResponse<String> postHealth = send(CLIENT, "POST", "/health");
    assertThat(postHealth.statusCode()).isEqualTo(405);
    assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET");
    assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
  }

  @Test
  void offLoopbackWithoutATokenIsRefusedWithTheWayOut() {
    assertThatThrownBy(() -> HttpApi.builder().bind("0.0.0.0").port(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("not a loopback address")
        .hasMessageContaining(BearerToken.ENV)
        .hasMessageContaining("http.token-file");
  }

  @Test
  void offLoopbackEveryRouteButHealthAndReadyNeedsTheTokenWhichIsNeverShown() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      List<String> store = new java.util.concurrent.CopyOnWriteArrayList<>();
      BearerToken token = BearerToken.resolve(java.util.Map.of(), tokenFile).orElseThrow();
      start(
          HttpApi.builder()
              .bind("0.0.0.0")
              .token(token)
              .pipeline(
                  new VigilPipeline(
                      FeatureConfig.defaults(),
                      MonitorConfig.defaults(),
                      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
              .route("/api/silences", silences(store)));
      assertThat(get("/health").statusCode()).isEqualTo(200);
      assertThat(get("/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> denied = get("/api/incidents");
      assertThat(denied.statusCode()).isEqualTo(401);
      assertThat(denied.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(send(CLIENT, "POST", "/api/silences").statusCode()).isEqualTo(401);
      assertThat(store).isEmpty();
      assertThat(
              get("/api/incidents", "Authorization", "Bearer not-the-token-at-all-000")
                  .statusCode())
          .isEqualTo(401);
      assertThat(get("/api/incidents", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      assertThat(
              send(CLIENT, "POST", "/api/silences", "Authorization", "Bearer " + TOKEN)
                  .statusCode())
          .isEqualTo(201);
      assertThat(api.toString()).doesNotContain(TOKEN).contains("bearer token required");
      assertThat(token.toString()).doesNotContain(TOKEN);
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("HTTP API listening")
        .doesNotContain(TOKEN);
  }

  @Test
  void servesTlsWithAPkcs12KeystoreAndATrustingClient() throws Exception {
    Path keystore = dir.resolve("vigil.p12");
    Path passwordFile = Files.writeString(dir.resolve("password"), "changeit-test\n");
    keytool(
        "-genkeypair",
        "-alias",
        "vigil",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit-test",
        "-keypass",
        "changeit-test");
    start(HttpApi.builder().tls(new TlsOptions(keystore, passwordFile)));
    assertThat(api.secure()).isTrue();

    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      server.load(in, "changeit-test".toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("vigil", server.getCertificate("vigil"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient trusting = HttpClient.newBuilder().sslContext(ssl).build();

    HttpResponse<String> health = send(trusting, "GET", "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.uri().getScheme()).isEqualTo("https");
    // A client that does not trust the certificate cannot talk to it.
    assertThatThrownBy(() -> send(CLIENT, "GET", "/health")).isInstanceOf(IOException.class);
  }

  @Test
  void aWrongKeystorePasswordIsRefusedWhenBuiltWithoutShowingIt() throws Exception {
    Path keystore = dir.resolve("vigil.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "vigil",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "right-password",
        "-keypass",
        "right-password");
    Path wrong = Files.writeString(dir.resolve("password"), "wrong-password");
    assertThatThrownBy(() -> HttpApi.builder().port(0).tls(new TlsOptions(keystore, wrong)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(keystore.toString())
        .hasMessageNotContaining("wrong-password");
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
