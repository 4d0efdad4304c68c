package dev.vigil.ingest.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The listener's own guards, on real sockets, with plain {@code HttpHandler}s behind them. */
@Tag("integration")
class HttpListenerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String TOKEN = "s3cret-token-0123456789abcdef";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private HttpListener listener;

  @AfterEach
  void stop() {
    if (listener != null) {
      listener.close();
    }
  }

  /** Answers 200 with the method, the path and the body it read. */
  static final HttpHandler ECHO =
      ex -> {
        byte[] in = ex.getRequestBody().readAllBytes();
        byte[] out =
            (ex.getRequestMethod() + " " + ex.getRequestURI() + " " + in.length)
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, out.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(out);
        }
      };

  private HttpListener start(HttpListenerBuilder builder) {
    listener = builder.build();
    listener.start();
    return listener;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + listener.address().getPort() + path);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(DEADLINE);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesByLongestPrefixAndPassesMethodPathAndBody() throws Exception {
    start(
        HttpListener.builder()
            .route("/", ex -> ECHO.handle(ex))
            .route("/api", ex -> ECHO.handle(ex))
            .route(
                "/api/x",
                ex -> {
                  ex.sendResponseHeaders(204, -1);
                  ex.close();
                }));
    assertThat(get("/api/things?a=1").body()).isEqualTo("GET /api/things?a=1 0");
    HttpResponse<String> post =
        CLIENT.send(
            HttpRequest.newBuilder(uri("/other"))
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).isEqualTo("POST /other 5");
    assertThat(get("/api/x/1").statusCode()).isEqualTo(204);
  }

  @Test
  void aHandlerSlowerThanTheIdleTimeoutStillAnswers() throws Exception {
    start(
        HttpListener.builder()
            .route(
                "/",
                ex -> {
                  try {
                    Thread.sleep(1500); // the stimulus: five idle timeouts of work
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ECHO.handle(ex);
                })
            .limits(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(300))));
    HttpResponse<String> r = get("/slow");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("GET /slow 0");
  }

  @Test
  void anUnknownPathGets404AndAFailingHandler500() throws Exception {
    start(
        HttpListener.builder()
            .route("/known", ECHO)
            .route(
                "/boom",
                ex -> {
                  throw new IllegalStateException("boom");
                }));
    HttpResponse<String> missing = get("/unknown");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"reason\":\"not_found\"");
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    assertThat(get("/known").statusCode()).isEqualTo(200);
  }

  @Test
  void anOversizedContentLengthGets413BeforeAnyBodyByteIsSent() throws Exception {
    start(
        HttpListener.builder()
            .route("/", ECHO)
            .limits(HttpLimits.defaults().withMaxBodyBytes(1024)));
    try (RawHttp c = RawHttp.connect(listener.address().getPort(), DEADLINE)) {
      c.send(RawHttp.postHead("/upload", "text/plain", "Content-Length: 1073741824"));
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.text()).contains("1073741824 bytes").contains("limit is 1024");
      assertThat(r.headers()).containsEntry("connection", "close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aClientStillSendingAnOversizedBodyGetsThe413NotAReset() throws Exception {
    // The rejection is sent before the body is read; closing with the body unread would make the
    // kernel reset the connection, and the client would lose the answer on its way (a race that
    // the repetitions make near certain to show up).
    start(
        HttpListener.builder()
            .route("/", ECHO)
            .limits(HttpLimits.defaults().withMaxBodyBytes(64 * 1024)));
    byte[] body = new byte[96 * 1024];
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> r =
          CLIENT.send(
              HttpRequest.newBuilder(uri("/upload"))
                  .timeout(DEADLINE)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(413);
      assertThat(r.body()).contains("limit is 65536");
    }
    assertThat(listener.bufferedBytes()).isZero();
  }

  @Test
  void aChunkedBodyGets413OnceItCrossesTheLimit() throws Exception {
    start(
        HttpListener.builder()
            .route("/", ECHO)
            .limits(HttpLimits.defaults().withMaxBodyBytes(1024)));
    try (RawHttp c = RawHttp.connect(listener.address().getPort(), DEADLINE)) {
      c.send(RawHttp.postHead("/upload", "text/plain", "Transfer-Encoding: chunked"));
      // 2 KiB in chunks of 512 bytes, and no last chunk: the answer cannot wait for the end.
      for (int i = 0; i < 4; i++) {
        c.send("200\r\n" + "x".repeat(512) + "\r\n");
      }
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.text()).contains("limit is 1024");
    }
    assertThat(listener.bufferedBytes()).isZero();
  }

  @Test
  void aStalledBodyIsCutOffAfterTheIdleTimeoutAndAStalledHeaderToo() throws Exception {
    start(
        HttpListener.builder()
            .route("/", ECHO)
            .limits(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(300))));
    try (RawHttp body = RawHttp.connect(listener.address().getPort(), DEADLINE);
        RawHttp head = RawHttp.connect(listener.address().getPort(), DEADLINE)) {
      body.send(RawHttp.postHead("/", "text/plain", "Content-Length: 100") + "only ten b");
      head.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
      RawHttp.Response r = body.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.text()).contains("\"reason\":\"timeout\"");
      assertThat(body.closedByServer()).isTrue();
      assertThat(head.closedByServer()).isTrue();
    }
    assertThat(listener.bufferedBytes()).isZero();
  }

  @Test
  void aBodyThatTricklesPastTheBodyTimeoutGets408() throws Exception {
    start(
        HttpListener.builder()
            .route("/", ECHO)
            .limits(HttpLimits.defaults().withBodyTimeout(Duration.ofMillis(500))));
    try (RawHttp c = RawHttp.connect(listener.address().getPort(), DEADLINE)) {
      c.send(RawHttp.postHead("/", "text/plain", "Content-Length: 100000"));
      // One byte every 50 ms: never idle, never done. Stops once the server has answered.
      CompletableFuture<Void> trickle =
          CompletableFuture.runAsync(
              () -> {
                long end = System.nanoTime() + DEADLINE.toNanos();
                while (System.nanoTime() < end && c.send("x")) {
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.text()).contains("did not arrive within 500 ms");
      trickle.cancel(true);
    }
  }

  @Test
  void aFullWorkerQueueGets503WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        HttpListener.builder()
            .route(
                "/slow",
                ex -> {
                  entered.countDown();
                  try {
                    release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ECHO.handle(ex);
                })
            .limits(
                HttpLimits.defaults()
                    .withWorkerThreads(1)
                    .withMaxQueuedRequests(1)
                    .withRetryAfter(Duration.ofMillis(2500))));
    CompletableFuture<HttpResponse<String>> running =
        CLIENT.sendAsync(
            HttpRequest.newBuilder(uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    // Two more: one takes the only queue slot, the other is refused at once.
    CompletableFuture<HttpResponse<String>> first =
        CLIENT.sendAsync(
            HttpRequest.newBuilder(uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> second =
        CLIENT.sendAsync(
            HttpRequest.newBuilder(uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture.anyOf(first, second).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture<HttpResponse<String>> queued = first.isDone() ? second : first;
    HttpResponse<String> refused = (first.isDone() ? first : second).get();
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(refused.body()).contains("\"reason\":\"overloaded\"");
    assertThat(queued).isNotDone();
    release.countDown();
    assertThat(running.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(queued.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void bodiesBeyondTheBufferBudgetGet503WithRetryAfter() throws Exception {
    start(
        HttpListener.builder()
            .route("/", ECHO)
            .limits(HttpLimits.defaults().withMaxBodyBytes(1000).withMaxBufferedBytes(1000)));
    try (RawHttp stalled = RawHttp.connect(listener.address().getPort(), DEADLINE);
        RawHttp next = RawHttp.connect(listener.address().getPort(), DEADLINE)) {
      stalled.send(RawHttp.postHead("/", "text/plain", "Content-Length: 1000") + "y".repeat(800));
      awaitBuffered(800);
      next.send(RawHttp.postHead("/", "text/plain", "Content-Length: 500") + "z".repeat(500));
      RawHttp.Response r = next.read();
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.headers()).containsEntry("retry-after", "1");
      stalled.send("y".repeat(200));
      assertThat(stalled.read().text()).isEqualTo("POST / 1000");
    }
    awaitBuffered(0);
  }

  @Test
  void aTokenIsRequiredOnEveryRouteButTheOpenPathsAndNeverShown() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      start(
          HttpListener.builder().route("/", ECHO).openPath("/health").token(BearerToken.of(TOKEN)));
      assertThat(get("/health").statusCode()).isEqualTo(200);
      HttpResponse<String> none = get("/api/incidents");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      HttpResponse<String> wrong =
          get("/api/incidents", "Authorization", "Bearer " + TOKEN.substring(1) + "x");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).doesNotContain(TOKEN.substring(1));
      assertThat(get("/health/../api", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
      assertThat(get("/api/incidents", "Authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      assertThat(get("/api/incidents", "Authorization", "bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      assertThat(listener.toString()).doesNotContain(TOKEN).contains("bearer token required");
      assertThat(BearerToken.of(TOKEN).toString()).doesNotContain(TOKEN);
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(TOKEN);
  }

  @Test
  void aTokenTooShortOrAnUnreadableKeystoreIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> BearerToken.of("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16")
        .hasMessageNotContaining("short\"");
    assertThatThrownBy(
            () ->
                HttpListener.builder()
                    .route("/", ECHO)
                    .tls(
                        new TlsOptions(
                            java.nio.file.Path.of("/nonexistent.p12"),
                            java.nio.file.Path.of("/nonexistent.pw")))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/nonexistent.p12");
    assertThatThrownBy(() -> HttpLimits.defaults().withWorkerThreads(0))
        .hasMessageContaining("workerThreads must be greater than 0");
  }

  private void awaitBuffered(long bytes) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (listener.bufferedBytes() != bytes && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(listener.bufferedBytes()).isEqualTo(bytes);
  }
}
