package dev.vigil.service.cli;

import dev.vigil.ingest.KafkaTopics;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.KafkaLogExporter;
import dev.vigil.trainingdata.sim.KafkaMetricExporter;
import dev.vigil.trainingdata.sim.KafkaSpanExporter;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vigil simulate}: the simulated shop alone, writing OTLP spans, metrics and logs to any
 * Kafka cluster's input topics (as the Collector's kafka exporter would), with a fault after a
 * warm-up, so that {@code vigil run} can be tried end to end.
 */
public final class SimulateCommand {
  private SimulateCommand() {}

  public static int run(List<String> argv) throws Exception {
    Set<String> valued = new HashSet<>(ConfigOptions.VALUED);
    valued.addAll(Set.of("seconds", "fault", "speed", "rate", "seed", "fault-after", "partitions"));
    Args args = Args.parse("simulate", argv, Set.of("no-fault", "json"), valued);
    if (!args.positional().isEmpty()) {
      throw new UsageException("simulate takes no arguments, got " + args.positional());
    }
    VigilConfig config = ConfigOptions.load(args, System.getenv(), Map.of());
    String bootstrap;
    try {
      bootstrap = config.string("kafka.bootstrap-servers");
    } catch (RuntimeException e) {
      throw new UsageException("simulate needs --bootstrap-servers host:port");
    }
    int seconds = args.intValue("seconds", 0, 10, 864_000);
    double speed = args.doubleValue("speed", DemoCommand.DEFAULT_SPEED, 1, 200);
    double rate = args.doubleValue("rate", MicroserviceSimulator.DEFAULT_BASE_RATE, 1, 2000);
    long seed =
        args.intValue("seed", (int) MicroserviceSimulator.DEFAULT_SEED, 0, Integer.MAX_VALUE);
    int faultAfter = args.intValue("fault-after", DemoCommand.UNBOUNDED_WARM_UP_SECONDS, 0, 86_400);
    int partitions = args.intValue("partitions", 3, 1, 1000);
    Topology topology = Topology.shop();
    List<Fault> faults = DemoCommand.faults(args, topology);
    String spans = config.string("kafka.topics.spans");
    String metrics = config.string("kafka.topics.metrics");
    String logs = config.string("kafka.topics.logs");
    KafkaTopics.ensure(
        bootstrap, List.of(spans, metrics, logs), partitions, (short) replication(config));
    Instant start = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 10 * 10);
    Instant faultAt = start.plus(Duration.ofMillis((long) (faultAfter * 1000L * speed)));
    try (MicroserviceSimulator simulator =
        MicroserviceSimulator.builder()
            .topology(topology)
            .exporter(new KafkaSpanExporter(bootstrap, spans))
            .metricExporter(new KafkaMetricExporter(bootstrap, metrics))
            .logExporter(new KafkaLogExporter(bootstrap, logs))
            .seed(seed)
            .speed(speed)
            .baseRatePerSecond(rate)
            .startTime(start)
            .faults(DemoCommand.schedule(faults, faultAt, null))
            .build()) {
      System.err.println(
          "vigil: simulating "
              + topology.services().size()
              + " services into "
              + bootstrap
              + " ("
              + spans
              + ", "
              + metrics
              + ", "
              + logs
              + ") at "
              + speed
              + "x; "
              + (faults.isEmpty()
                  ? "no fault"
                  : "fault "
                      + faults
                      + " at simulated "
                      + faultAt
                      + " (after "
                      + faultAfter
                      + " s)"));
      simulator.start();
      if (seconds > 0) {
        Thread.sleep(seconds * 1000L);
      } else {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
    }
    return 0;
  }

  private static int replication(VigilConfig config) {
    int rf = config.intValue("kafka.replication-factor");
    return rf <= 0 ? 1 : rf;
  }
}
