package dev.vigil.models.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where promoted models live: the newest version of each service's model is the one in use. The
 * retraining job {@link #promote}s; running instances read {@link #current()} and swap.
 * Implementations: a local directory ({@link #directory}) and the compacted {@code vigil.models}
 * Kafka topic (in the service module, which owns the Kafka clients). Thread-safe.
 */
public interface ModelRegistry {

  /** The model in use for each service that has one, sorted by service. */
  List<RegisteredModel> current();

  /** The model in use for {@code service}, if any. */
  default Optional<RegisteredModel> current(String service) {
    return current().stream().filter(m -> m.service().equals(service)).findFirst();
  }

  /**
   * Records {@code model} as the service's model in use, numbered one past the current version (the
   * version the argument carries is ignored).
   *
   * @return the model as stored, with its version
   */
  RegisteredModel promote(RegisteredModel model);

  /**
   * Records that could not be read (a newer format, a corrupt file), one line each with the reason;
   * they are skipped and the version before them stays in use.
   */
  List<String> problems();

  /** A registry in a local directory: {@code <dir>/<service>/v<N>.json}, one file per version. */
  static ModelRegistry directory(Path dir) {
    return new DirectoryModelRegistry(dir);
  }
}
