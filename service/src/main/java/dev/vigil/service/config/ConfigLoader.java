package dev.vigil.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reads a {@link VigilConfig} from, in rising precedence, the defaults of {@link ConfigSchema}, a
 * YAML file (nested maps; a list is accepted for {@code kafka.bootstrap-servers}), the environment
 * ({@code VIGIL_*}) and flags. Every key is checked: an unknown key, a Kafka property Kafka does
 * not know, or a value of the wrong type stops the start with a {@link ConfigException} that names
 * the key, where it was set, and what is valid.
 */
public final class ConfigLoader {
  private Path file;
  private Map<String, String> env = Map.of();
  private final Map<String, String> flags = new LinkedHashMap<>();

  private ConfigLoader() {}

  public static ConfigLoader builder() {
    return new ConfigLoader();
  }

  public ConfigLoader file(Path file) {
    this.file = file;
    return this;
  }

  public ConfigLoader env(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  /** A value from the command line ({@code --set key=value} or a named flag). */
  public ConfigLoader flag(String key, String value) {
    flags.put(key, value);
    return this;
  }

  public VigilConfig load() {
    Map<String, String> values = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    Map<String, String> kafka = new HashMap<>();
    for (ConfigKey k : ConfigSchema.keys()) {
      if (k.defaultValue() != null) {
        values.put(k.name(), k.defaultValue());
      }
    }
    if (file != null) {
      String where = "file " + file;
      readYaml(file).forEach((k, v) -> set(k, v, where, values, sources, kafka));
    }
    List<String> names = new ArrayList<>(env.keySet());
    names.sort(Comparator.naturalOrder());
    for (String name : names) {
      if (!name.startsWith(ConfigSchema.ENV_PREFIX) || ConfigSchema.SECRET_ENV.contains(name)) {
        continue;
      }
      String key =
          ConfigSchema.keyOfEnv(name)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "unknown environment variable "
                              + name
                              + "; Vigil reads "
                              + String.join(", ", ConfigSchema.SECRET_ENV)
                              + ", VIGIL_KAFKA_PROPERTIES_<property> and: "
                              + String.join(
                                  ", ",
                                  ConfigSchema.keys().stream()
                                      .map(k -> ConfigSchema.envName(k.name()))
                                      .toList())));
      set(key, env.get(name), "environment " + name, values, sources, kafka);
    }
    flags.forEach((k, v) -> set(k, v, "flag", values, sources, kafka));
    return new VigilConfig(values, sources, kafka);
  }

  private static void set(
      String key,
      String value,
      String source,
      Map<String, String> values,
      Map<String, String> sources,
      Map<String, String> kafka) {
    if (key.startsWith(ConfigSchema.KAFKA_PROPERTIES)) {
      String property = key.substring(ConfigSchema.KAFKA_PROPERTIES.length());
      if (!KafkaPropertyNames.ALL.contains(property)) {
        throw new ConfigException(
            "'"
                + property
                + "' ("
                + source
                + ") is not a Kafka client property; see the consumer, producer, admin and"
                + " streams configuration of Apache Kafka"
                + KafkaPropertyNames.suggest(property));
      }
      kafka.put(property, value);
      return;
    }
    ConfigKey k =
        ConfigSchema.find(key)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "unknown configuration key '"
                            + key
                            + "' ("
                            + source
                            + ")"
                            + suggest(key)
                            + "; valid keys: "
                            + String.join(
                                ", ", ConfigSchema.keys().stream().map(ConfigKey::name).toList())
                            + ", kafka.properties.<Kafka client property>"));
    values.put(key, k.check(value, source));
    sources.put(key, source);
  }

  private static String suggest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ConfigKey k : ConfigSchema.keys()) {
      int d = Levenshtein.distance(key, k.name());
      if (d < bestDistance) {
        bestDistance = d;
        best = k.name();
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 4)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return out;
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "configuration file "
              + file
              + " must hold a map of keys, e.g. 'kafka: {bootstrap-servers: host:9092}'");
    }
    flatten("", root, out, file);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      boolean kafkaProperty = key.startsWith(ConfigSchema.KAFKA_PROPERTIES);
      if (v.isObject() && !kafkaProperty && ConfigSchema.find(key).isEmpty()) {
        flatten(key, v, out, file);
      } else if (v.isObject() && kafkaProperty) {
        flatten(key, v, out, file);
      } else if (v.isArray()) {
        List<String> items = new ArrayList<>();
        v.forEach(i -> items.add(i.asText()));
        // A list of regular expressions is one a line: a comma can be part of one ("{1,3}").
        boolean regexes =
            ConfigSchema.find(key).map(k -> k.type() == ConfigKey.Type.REGEX_LIST).orElse(false);
        out.put(key, String.join(regexes ? "\n" : ",", items));
      } else if (v.isNull()) {
        out.put(key, "");
      } else {
        out.put(key, v.asText());
      }
    }
  }

  /** Names of the Kafka client configuration, from Kafka's own config definitions. */
  static final class KafkaPropertyNames {
    static final Set<String> ALL = all();

    private static Set<String> all() {
      Set<String> s = new TreeSet<>();
      s.addAll(ConsumerConfig.configNames());
      s.addAll(ProducerConfig.configNames());
      s.addAll(AdminClientConfig.configNames());
      s.addAll(StreamsConfig.configDef().names());
      return s;
    }

    static String suggest(String property) {
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String p : ALL) {
        int d = Levenshtein.distance(property, p);
        if (d < bestDistance) {
          bestDistance = d;
          best = p;
        }
      }
      return best != null && bestDistance <= Math.max(2, property.length() / 4)
          ? " (did you mean '" + best + "'?)"
          : "";
    }
  }
}
