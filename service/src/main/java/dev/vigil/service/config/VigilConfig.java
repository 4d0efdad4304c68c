package dev.vigil.service.config;

import dev.vigil.features.FeatureConfig;
import dev.vigil.models.MonitorConfig;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A checked configuration: every key of {@link ConfigSchema} with its value (from the defaults, the
 * YAML file, the environment or the flags; see {@link ConfigLoader}), the Kafka client properties,
 * and where each value came from. Immutable.
 */
public final class VigilConfig {
  private final Map<String, String> values;
  private final Map<String, String> sources;
  private final Map<String, String> kafkaProperties;

  VigilConfig(
      Map<String, String> values, Map<String, String> sources, Map<String, String> kafkaProps) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    this.kafkaProperties = Collections.unmodifiableMap(new TreeMap<>(kafkaProps));
  }

  /** The defaults alone (what the demo starts from). */
  public static VigilConfig defaults() {
    return ConfigLoader.builder().load();
  }

  public Optional<String> value(String key) {
    requireKey(key);
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
  }

  public String string(String key) {
    return value(key)
        .orElseThrow(
            () ->
                new ConfigException(
                    "configuration key '"
                        + key
                        + "' is required: set it in the YAML file, as "
                        + ConfigSchema.envName(key)
                        + " or with --set "
                        + key
                        + "=..."));
  }

  public int intValue(String key) {
    return Integer.parseInt(string(key));
  }

  public double doubleValue(String key) {
    return Double.parseDouble(string(key));
  }

  public boolean bool(String key) {
    return Boolean.parseBoolean(string(key));
  }

  public Duration duration(String key) {
    return ConfigKey.duration(string(key));
  }

  /** The patterns of a {@link ConfigKey.Type#REGEX_LIST} key (none when unset). */
  public List<String> lines(String key) {
    return value(key).map(ConfigKey::lines).orElse(List.of());
  }

  public Optional<Path> path(String key) {
    return value(key).map(Path::of);
  }

  /** Where a key's value came from: default, file, env or flag. */
  public String source(String key) {
    requireKey(key);
    return sources.getOrDefault(key, "default");
  }

  /** Kafka client properties ({@code kafka.properties.*}), for consumers, producers and admin. */
  public Map<String, String> kafkaProperties() {
    return kafkaProperties;
  }

  public FeatureConfig features() {
    return new FeatureConfig(
        duration("windows.size"),
        duration("windows.out-of-orderness"),
        duration("windows.max-trace-duration"),
        intValue("windows.max-pending-traces"));
  }

  public MonitorConfig monitor() {
    try {
      return MonitorConfig.builder()
          .minRequests(intValue("detectors.min-requests"))
          .baselineWindows(intValue("detectors.baseline-windows"))
          .minBaselineWindows(intValue("detectors.min-baseline-windows"))
          .zThreshold(doubleValue("detectors.z-threshold"))
          .strongZ(doubleValue("detectors.strong-z"))
          .minLatencyChange(doubleValue("detectors.min-latency-change"))
          .minLatencyMillis(doubleValue("detectors.min-latency-millis"))
          .minErrorRateChange(doubleValue("detectors.min-error-rate-change"))
          .minErrors(intValue("detectors.min-errors"))
          .minTailRequests(intValue("detectors.min-tail-requests"))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("detectors.*: " + e.getMessage());
    }
  }

  /**
   * The predictive alerts' settings ({@code predictive.*}), or empty when they are off.
   *
   * @throws ConfigException when the horizon is not a multiple of the window or a series is not a
   *     latency series
   */
  public Optional<PredictiveConfig> predictive() {
    if (!bool("predictive.enabled")) {
      return Optional.empty();
    }
    return Optional.of(predictiveSettings());
  }

  /**
   * The {@code predictive.*} settings whether or not predictive alerts are on (the retraining job
   * trains and evaluates the forecaster with them).
   *
   * @throws ConfigException as {@link #predictive()}
   */
  public PredictiveConfig predictiveSettings() {
    Duration window = duration("windows.size");
    Duration horizon = duration("predictive.horizon");
    if (horizon.compareTo(window) < 0 || horizon.toMillis() % window.toMillis() != 0) {
      throw new ConfigException(
          "predictive.horizon must be a positive multiple of windows.size ("
              + window
              + "), got "
              + horizon
              + " ("
              + source("predictive.horizon")
              + "); e.g. 5m");
    }
    List<String> known =
        Arrays.stream(Feature.values()).filter(Feature::isLatency).map(Feature::id).toList();
    List<Feature> series = new ArrayList<>();
    for (String name : string("predictive.series").split(",")) {
      String id = name.trim();
      Feature f =
          Arrays.stream(Feature.values())
              .filter(x -> x.isLatency() && x.id().equals(id))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "predictive.series: '"
                              + id
                              + "' is not a latency series ("
                              + source("predictive.series")
                              + "); use one or more of "
                              + String.join(", ", known)
                              + ", comma-separated"));
      if (!series.contains(f)) {
        series.add(f);
      }
    }
    int confirm = atLeastOne("predictive.confirm-windows");
    int sequences = atLeastOne("predictive.training-sequences");
    return new PredictiveConfig(
        (int) (horizon.toMillis() / window.toMillis()),
        series,
        new dev.vigil.models.forecast.PredictiveRule(
            doubleValue("predictive.margin"), doubleValue("predictive.trend-z"), confirm),
        sequences);
  }

  /** An integer key that must be at least 1, refused with its source and default otherwise. */
  private int atLeastOne(String key) {
    int v = intValue(key);
    if (v < 1) {
      throw new ConfigException(
          key
              + " must be at least 1, got "
              + v
              + " ("
              + source(key)
              + "); the default is "
              + ConfigSchema.find(key).orElseThrow().defaultValue());
    }
    return v;
  }

  private static void requireKey(String key) {
    if (ConfigSchema.find(key).isEmpty()) {
      throw new IllegalArgumentException("not a configuration key: " + key);
    }
  }

  /** The values that differ from the defaults, for the start-up log (secrets are not keys). */
  public Map<String, String> overrides() {
    Map<String, String> out = new TreeMap<>();
    sources.forEach((k, s) -> out.put(k, values.get(k) + " (" + s + ")"));
    kafkaProperties.forEach((k, v) -> out.put(ConfigSchema.KAFKA_PROPERTIES + k, redact(k, v)));
    return out;
  }

  private static String redact(String property, String value) {
    String p = property.toLowerCase(java.util.Locale.ROOT);
    return p.contains("password") || p.contains("jaas") || p.contains("secret") || p.contains("key")
        ? "<redacted>"
        : value;
  }
}
