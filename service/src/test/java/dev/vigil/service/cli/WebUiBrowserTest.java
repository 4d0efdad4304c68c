package dev.vigil.service.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.rca.Incident;
import dev.vigil.service.http.HttpApi;
import dev.vigil.service.pipeline.VigilPipeline;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI as a person uses it, in headless Chromium (Debian's {@code chromium} package): the
 * page of a running Vigil that has seen a latency fault in catalog loads, shows the incident with
 * its graph, evidence and traces, and answers a question typed into the chat panel (passed as
 * {@code ?ask=}, which the page submits like a typed question), in English and in Chinese. Skipped
 * with a message when no Chromium binary is installed ({@code apt-get install -y chromium}).
 */
@Tag("browser")
class WebUiBrowserTest {
  private static VigilPipeline pipeline;
  private static HttpApi api;
  private static String chromium;

  @BeforeAll
  static void start() throws Exception {
    chromium = findChromium();
    assumeTrue(
        chromium != null,
        "no Chromium binary (chromium, chromium-browser, google-chrome) on PATH: the browser"
            + " tier is skipped; install it with apt-get install -y chromium");
    pipeline = NlqScenario.pipeline();
    api =
        HttpApi.builder()
            .port(0)
            .pipeline(pipeline)
            .answerer(DiagnosticAnswerer.offline())
            .registry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .build();
    api.start();
    NlqScenario.standard().get(0).simulate(pipeline, MicroserviceSimulator.DEFAULT_SEED);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String findChromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    return null;
  }

  private static String base() {
    return "http://127.0.0.1:" + api.address().getPort();
  }

  /** Runs headless Chromium with the arguments and returns its standard output. */
  private static String browse(Path profile, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(chromium);
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--user-data-dir=" + profile,
            "--window-size=1400,1100",
            "--virtual-time-budget=15000"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String incidentUrl(String question) {
    Incident first = pipeline.incidents().get(pipeline.incidents().size() - 1);
    return base()
        + "/?ask="
        + URLEncoder.encode(question, StandardCharsets.UTF_8)
        + "#/incident/"
        + first.id();
  }

  @Test
  void theIncidentPageShowsTheCauseGraphEvidenceAndAnswersInTheChat(@TempDir Path tmp)
      throws Exception {
    assertThat(pipeline.incidents()).isNotEmpty();
    String dom = browse(tmp.resolve("profile"), "--dump-dom", incidentUrl("why is frontend slow?"));

    assertThat(dom).contains("Most likely root cause", "Causal graph", "Ranked causes");
    assertThat(dom).containsPattern("<strong>catalog</strong> \\(confidence \\d\\.\\d\\d\\)");
    assertThat(dom).contains("class=\"node root\" data-service=\"catalog\"");
    assertThat(dom).containsPattern("class=\"mono trace\">[0-9a-f]{32}<");
    assertThat(dom).contains("class=\"msg user\">why is frontend slow?<");
    assertThat(dom)
        .containsPattern(
            "class=\"msg bot answered\" data-root-cause=\"catalog\">frontend is slow most likely"
                + " because of catalog \\(confidence \\d\\.\\d\\d\\)");
  }

  @Test
  void answersAChineseQuestionInChinese(@TempDir Path tmp) throws Exception {
    String dom = browse(tmp.resolve("profile"), "--dump-dom", incidentUrl("为什么 frontend 变慢了？"));
    assertThat(dom).containsPattern("data-root-cause=\"catalog\">frontend 变慢最可能的根因是 catalog（置信度");
  }

  @Test
  void theOverviewColoursTheAffectedServicesAndIsNotBlank(@TempDir Path tmp) throws Exception {
    String dom = browse(tmp.resolve("profile"), "--dump-dom", base() + "/");
    assertThat(dom).contains("class=\"node anomalous\" data-service=\"catalog\"", "inc-");

    Path png = tmp.resolve("overview.png");
    browse(tmp.resolve("profile2"), "--screenshot=" + png, incidentUrl("why is frontend slow?"));
    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isGreaterThan(100);
    assertThat(colours(image)).as("distinct colours of the screenshot").isGreaterThan(20);
  }

  private static int colours(BufferedImage image) throws IOException {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
