package dev.vigil.service.models;

import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.VigilConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry a configuration names ({@code models.registry}): the compacted Kafka topic
 * {@code kafka.topics.models}, the directory {@code models.registry-dir}, or none. {@code auto}
 * takes the directory when one is set, else the topic when Kafka is configured.
 */
public final class ModelRegistries {
  /** The directory {@code vigil retrain} promotes to when neither Kafka nor a directory is set. */
  public static final String DEFAULT_DIRECTORY = "vigil-models";

  private ModelRegistries() {}

  /**
   * The registry the running service reads, if any.
   *
   * @throws ConfigException if the chosen registry lacks its setting
   */
  public static Optional<ModelRegistry> forService(VigilConfig c) {
    return switch (c.string("models.registry")) {
      case "none" -> Optional.empty();
      case "directory" -> Optional.of(ModelRegistry.directory(directory(c)));
      case "kafka" -> Optional.of(kafka(c));
      default -> {
        if (c.path("models.registry-dir").isPresent()) {
          yield Optional.of(ModelRegistry.directory(c.path("models.registry-dir").get()));
        }
        yield c.value("kafka.bootstrap-servers").isPresent()
            ? Optional.of(kafka(c))
            : Optional.empty();
      }
    };
  }

  /**
   * The registry {@code vigil retrain} promotes to: {@code dir} when given, else the configured
   * one, else {@value #DEFAULT_DIRECTORY}.
   *
   * @throws ConfigException if the configuration names no registry ({@code none}) or the chosen one
   *     lacks its setting
   */
  public static ModelRegistry forRetrain(Optional<Path> dir, VigilConfig c) {
    if (dir.isPresent()) {
      return ModelRegistry.directory(dir.get());
    }
    if (c.string("models.registry").equals("none")) {
      throw new ConfigException(
          "models.registry is none: retrain has nowhere to promote to; give --registry DIR, set"
              + " models.registry to kafka or directory, or use --dry-run with --registry DIR");
    }
    return forService(c).orElseGet(() -> ModelRegistry.directory(Path.of(DEFAULT_DIRECTORY)));
  }

  /** Releases a registry's connections, if it holds any. */
  public static void close(ModelRegistry registry) {
    if (registry instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + registry, e);
      }
    }
  }

  private static Path directory(VigilConfig c) {
    return c.path("models.registry-dir")
        .orElseThrow(
            () ->
                new ConfigException(
                    "models.registry is directory but models.registry-dir is not set: give the"
                        + " directory, or set models.registry to kafka"));
  }

  private static ModelRegistry kafka(VigilConfig c) {
    if (c.value("kafka.bootstrap-servers").isEmpty()) {
      throw new ConfigException(
          "models.registry is kafka but kafka.bootstrap-servers is not set: give"
              + " --bootstrap-servers host:port, or set models.registry-dir");
    }
    Map<String, Object> client = new HashMap<>(c.kafkaProperties());
    client.put("bootstrap.servers", c.string("kafka.bootstrap-servers"));
    return KafkaModelRegistry.open(
        client, c.string("kafka.topics.models"), (short) c.intValue("kafka.replication-factor"));
  }
}
