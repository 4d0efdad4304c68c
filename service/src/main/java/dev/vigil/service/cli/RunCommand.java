package dev.vigil.service.cli;

import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.pipeline.EventPrinter;
import dev.vigil.service.runtime.VigilRuntime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vigil run}: the service against a Kafka cluster, configured from a YAML file, the
 * environment and flags. Runs until stopped (SIGTERM or Ctrl-C), then drains and commits.
 */
public final class RunCommand {
  private RunCommand() {}

  /** Every configuration key as a Markdown table (docs/configuration.md is this output). */
  static String keysTable() {
    StringBuilder b = new StringBuilder();
    b.append("| key | default | environment | meaning |\n|---|---|---|---|\n");
    for (var k : dev.vigil.service.config.ConfigSchema.keys()) {
      b.append("| `")
          .append(k.name())
          .append("` | ")
          .append(k.defaultValue() == null ? "" : "`" + k.defaultValue() + "`")
          .append(" | `")
          .append(dev.vigil.service.config.ConfigSchema.envName(k.name()))
          .append("` | ")
          .append(k.doc().replace("|", "\\|"))
          .append(k.allowed().isEmpty() ? "" : " (" + String.join(", ", k.allowed()) + ")")
          .append(" |\n");
    }
    b.append(
        "| `kafka.properties.<name>` | | `VIGIL_KAFKA_PROPERTIES_<NAME>` | any Kafka client"
            + " property, for consumers, producers and admin (e.g. security.protocol,"
            + " sasl.jaas.config) |\n");
    return b.toString();
  }

  public static int run(List<String> argv) throws Exception {
    Set<String> valued = new HashSet<>(ConfigOptions.VALUED);
    Args args = Args.parse("run", argv, Set.of("json", "print-config", "list-keys"), valued);
    if (args.flag("list-keys")) {
      System.out.print(keysTable());
      return 0;
    }
    if (!args.positional().isEmpty()) {
      throw new UsageException("run takes no arguments, got " + args.positional());
    }
    Map<String, String> env = System.getenv();
    VigilConfig config = ConfigOptions.load(args, env, Map.of());
    if (args.flag("print-config")) {
      config.overrides().forEach((k, v) -> System.out.println(k + " = " + v));
      return 0;
    }
    try {
      config.string("kafka.bootstrap-servers");
    } catch (ConfigException e) {
      throw new UsageException(
          "run needs Kafka: --bootstrap-servers host:port, kafka.bootstrap-servers in --config,"
              + " or VIGIL_KAFKA_BOOTSTRAP_SERVERS");
    }
    LlmOptions llm = LlmOptions.fromConfig(config, env);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EventPrinter printer = new EventPrinter(System.out, config.bool("output.json"));
    VigilRuntime runtime =
        VigilRuntime.builder(config)
            .registry(registry)
            .answerer(llm.answerer(registry))
            .listener(printer)
            .environment(env)
            .build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println("vigil: stopping (draining and committing)...");
                  runtime.close();
                  stopped.countDown();
                },
                "vigil-shutdown"));
    try {
      runtime.start();
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    System.err.println(
        "vigil: running against "
            + config.string("kafka.bootstrap-servers")
            + " as application "
            + config.string("kafka.application-id")
            + runtime
                .apiAddress()
                .map(a -> "; HTTP API on http://" + a.getHostString() + ":" + a.getPort())
                .orElse("")
            + runtime
                .otlpAddress()
                .map(a -> "; OTLP/HTTP on " + a.getHostString() + ":" + a.getPort())
                .orElse(""));
    System.err.println("vigil: questions are answered by " + llm.describe());
    stopped.await();
    return 0;
  }
}
