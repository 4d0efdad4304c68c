package dev.vigil.service.cli;

import dev.vigil.service.kafka.EmbeddedKafkaBroker;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;

/**
 * {@code vigil broker [--port 9092]}: the demo's single-node Kafka (KRaft) on its own, on
 * 127.0.0.1, until stopped, so that {@code vigil simulate} and {@code vigil run} can be tried end
 * to end without installing Kafka. Its data is temporary and deleted on exit; it is a broker to try
 * Vigil with, not one to keep data in.
 */
public final class BrokerCommand {
  /** The port Kafka's own quickstart listens on. */
  static final int DEFAULT_PORT = 9092;

  private BrokerCommand() {}

  public static int run(List<String> argv) throws Exception {
    Args args = Args.parse("broker", argv, Set.of(), Set.of("port"));
    if (!args.positional().isEmpty()) {
      throw new UsageException("broker takes no arguments, got " + args.positional());
    }
    int port = args.intValue("port", DEFAULT_PORT, 1, 65_535);
    try (EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(EmbeddedKafkaBroker.DEFAULT_STARTUP_TIMEOUT, port)) {
      try {
        broker.start();
      } catch (KafkaException e) {
        throw new UsageException(
            "could not start Kafka on port "
                + port
                + " ("
                + e.getMessage()
                + "); pass another with --port, or use the Kafka already listening there");
      }
      // The JVM does not wait for this thread once the hooks are done: the hook itself stops
      // the broker and deletes its data.
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "vigil-broker-stop"));
      System.err.println(
          "vigil: Kafka listening on "
              + broker.bootstrapServers()
              + " (single node, data in "
              + broker.directory()
              + ", deleted on exit); Ctrl-C stops it. Try:\n"
              + "  ./vigil simulate --bootstrap-servers "
              + broker.bootstrapServers()
              + " --fault latency:catalog\n"
              + "  ./vigil run --bootstrap-servers "
              + broker.bootstrapServers());
      new CountDownLatch(1).await();
    }
    return 0;
  }
}
