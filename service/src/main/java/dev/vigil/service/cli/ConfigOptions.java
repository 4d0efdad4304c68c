package dev.vigil.service.cli;

import dev.vigil.service.config.ConfigException;
import dev.vigil.service.config.ConfigLoader;
import dev.vigil.service.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The configuration options shared by {@code run}, {@code simulate} and {@code demo}: {@code
 * --config FILE}, {@code --set key=value} (repeatable, any key), and shorthands for the usual keys.
 */
final class ConfigOptions {
  /** Shorthand flags and the keys they set. */
  static final Map<String, String> SHORTHANDS =
      Map.of(
          "bootstrap-servers", "kafka.bootstrap-servers",
          "application-id", "kafka.application-id",
          "http-port", "http.port",
          "otlp-port", "otlp.port");

  static final Set<String> VALUED =
      Set.of("config", "set", "bootstrap-servers", "application-id", "http-port", "otlp-port");

  private ConfigOptions() {}

  /**
   * Loads defaults, then the file, then the environment, then {@code extra} (the command's own
   * defaults, e.g. the demo's), then the flags.
   */
  static VigilConfig load(Args args, Map<String, String> env, Map<String, String> extra)
      throws UsageException {
    ConfigLoader loader = ConfigLoader.builder().env(env);
    if (args.value("config").isPresent()) {
      Path file = Path.of(args.value("config").get());
      if (!Files.isReadable(file)) {
        throw new UsageException("--config: cannot read " + file);
      }
      loader.file(file);
    }
    extra.forEach(loader::flag);
    for (String set : args.values("set")) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(
            "--set takes key=value, e.g. --set windows.size=10s; got '" + set + "'");
      }
      loader.flag(set.substring(0, eq).trim(), set.substring(eq + 1));
    }
    SHORTHANDS.forEach((flag, key) -> args.value(flag).ifPresent(v -> loader.flag(key, v)));
    if (args.flag("json")) {
      loader.flag("output.json", "true");
    }
    try {
      return loader.load();
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
