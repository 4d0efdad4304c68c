package dev.vigil.service.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, one process acting as broker and controller) for {@code vigil demo}
 * and tests. Listens on 127.0.0.1 on free ports and keeps its data in a fresh temporary directory,
 * formatted before the first start and deleted by {@link #close()}. Built from {@code kafka_2.13}'s
 * own server classes ({@link StorageTool} to format, {@link KafkaRaftServer} to run), as {@code
 * kafka-storage.sh format} and {@code kafka-server-start.sh} would. The generated {@code
 * server.properties} is kept next to the data for inspection.
 *
 * <p>Topics are created with one replica; internal topics (consumer offsets, transactions, share
 * groups) use one replica and one partition to start quickly.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  /** How long {@link #start()} waits for the broker to accept connections. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final int NODE_ID = 1;
  private static final int START_ATTEMPTS = 3;

  private final Duration startupTimeout;
  private final int port;
  private Path directory;
  private KafkaRaftServer server;
  private String bootstrapServers;
  private boolean closed;

  /** A broker that waits up to {@link #DEFAULT_STARTUP_TIMEOUT} in {@link #start()}. */
  public EmbeddedKafkaBroker() {
    this(DEFAULT_STARTUP_TIMEOUT);
  }

  /**
   * @param startupTimeout how long {@link #start()} waits for the broker; positive
   */
  public EmbeddedKafkaBroker(Duration startupTimeout) {
    this(startupTimeout, 0);
  }

  /**
   * @param startupTimeout how long {@link #start()} waits for the broker; positive
   * @param port the broker listener's port on 127.0.0.1, or 0 for a free one (the controller
   *     listener always takes a free port)
   */
  public EmbeddedKafkaBroker(Duration startupTimeout, int port) {
    if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
      throw new IllegalArgumentException("startupTimeout must be positive");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    this.startupTimeout = startupTimeout;
    this.port = port;
  }

  /**
   * Formats a fresh log directory, starts the broker and returns once it answers an Admin {@code
   * describeCluster}. Retries with new ports if another process took a chosen port meanwhile.
   *
   * @throws IllegalStateException if already started or closed
   * @throws KafkaException if the broker does not come up
   */
  public synchronized void start() {
    if (server != null || closed) {
      throw new IllegalStateException(closed ? "the broker is closed" : "the broker is running");
    }
    RuntimeException last = null;
    // A chosen port is not retried: another process holding it will not let go.
    int attempts = port == 0 ? START_ATTEMPTS : 1;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        startOnce();
        return;
      } catch (RuntimeException e) {
        last = e;
        LOG.warn("embedded Kafka failed to start (attempt {}): {}", attempt, e.toString());
        stopAndDelete();
      }
    }
    throw new KafkaException("could not start the embedded Kafka broker", last);
  }

  /** {@code 127.0.0.1:port} of the broker listener. */
  public synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return bootstrapServers;
  }

  /** The broker's data directory (deleted by {@link #close()}); null before {@link #start()}. */
  public synchronized Path directory() {
    return directory;
  }

  /** Shuts the broker down and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    stopAndDelete();
  }

  private void startOnce() {
    try {
      directory = Files.createTempDirectory("vigil-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory", e);
    }
    String logDir = directory.resolve("data").toString();
    if (port != 0) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
        probe.setReuseAddress(true);
      } catch (IOException e) {
        throw new KafkaException("port " + port + " on " + HOST + " is in use: " + e.getMessage());
      }
    }
    int brokerPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    Properties properties = serverProperties(logDir, brokerPort, controllerPort);
    format(writeConfig(properties));
    server = newServer(properties);
    server.startup();
    bootstrapServers = HOST + ":" + brokerPort;
    awaitReady();
    LOG.info("embedded Kafka listening on {} (data in {})", bootstrapServers, directory);
  }

  /**
   * {@code new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM)}, by
   * reflection: {@code KafkaConfig} extends a class of {@code kafka-server}, which {@code
   * kafka_2.13} declares as a runtime dependency only, so javac cannot compile a direct call.
   */
  private static KafkaRaftServer newServer(Properties properties) {
    try {
      Class<?> configClass = Class.forName("kafka.server.KafkaConfig");
      Object config =
          configClass
              .getMethod("fromProps", Properties.class, boolean.class)
              .invoke(null, properties, false);
      return KafkaRaftServer.class
          .getConstructor(configClass, Time.class)
          .newInstance(config, Time.SYSTEM);
    } catch (InvocationTargetException e) {
      throw new KafkaException("invalid embedded broker configuration", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new KafkaException("kafka_2.13 is not usable on the class path", e);
    }
  }

  private Path writeConfig(Properties properties) {
    Path file = directory.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(out, "vigil embedded Kafka");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
    return file;
  }

  private static Properties serverProperties(String logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://"
            + HOST
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir);
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    return p;
  }

  /** Runs what {@code kafka-storage.sh format --config server.properties} runs. */
  private static void format(Path configFile) {
    String[] args = {
      "format", "--config", configFile.toString(), "--cluster-id", Uuid.randomUuid().toString()
    };
    int exitCode;
    try {
      exitCode = StorageTool.execute(args, new PrintStream(OutputStream.nullOutputStream()));
    } catch (Exception e) {
      throw new KafkaException("could not format the log directory: " + e.getMessage(), e);
    }
    if (exitCode != 0) {
      throw new KafkaException("formatting the log directory failed with exit code " + exitCode);
    }
  }

  private void awaitReady() {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) startupTimeout.toMillis());
    try (Admin admin = Admin.create(config)) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) startupTimeout.toMillis()))
          .nodes()
          .get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("the embedded broker did not answer within " + startupTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while waiting for the embedded broker", e);
    }
  }

  private void stopAndDelete() {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException e) {
        LOG.warn("embedded Kafka did not shut down cleanly", e);
      }
      server = null;
    }
    bootstrapServers = null;
    if (directory != null) {
      deleteRecursively(directory);
      directory = null;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  private static void deleteRecursively(Path root) {
    try {
      dev.vigil.service.internal.Directories.deleteTree(root);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }
}
