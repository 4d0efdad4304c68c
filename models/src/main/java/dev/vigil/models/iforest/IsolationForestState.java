package dev.vigil.models.iforest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.ModelProvenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persisted state of an {@link IsolationForest}, kept apart from the model logic (as RCF's
 * {@code IStateMapper}): a JSON document {@code {"format": "vigil.isolation_forest", "version": N,
 * "provenance": ..., "schema": ..., "sampleSize": ..., "threshold": ..., "trees": [...]}}.
 *
 * <p>Every version this class ever wrote stays readable: {@code
 * src/test/resources/state/isolation_forest_v1.json} is a committed version 1 file and a test loads
 * it. Loading checks the feature schema and refuses a model trained on another one.
 */
public final class IsolationForestState {
  /** The format written by this version of the code. */
  public static final int CURRENT_VERSION = 1;

  static final String FORMAT = "vigil.isolation_forest";
  private static final ObjectMapper JSON = new ObjectMapper();

  private IsolationForestState() {}

  /** Writes the model to {@code file} in the current format. */
  public static void write(IsolationForest model, Path file) {
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson(model));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Reads a model and checks that it was trained on {@code expected}.
   *
   * @throws IncompatibleModelException if the format or version is unknown or the schema differs
   */
  public static IsolationForest read(Path file, FeatureSchema expected) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    IsolationForest model = fromJson(root, file.toString());
    expected.requireSame(model.provenance().featureSchemaHash(), "isolation forest " + file);
    return model;
  }

  /** The model as a JSON tree in the current format, to embed in another state. */
  public static JsonNode toTree(IsolationForest model) {
    return toJson(model);
  }

  /**
   * Reads a model from a tree written by {@link #toTree}.
   *
   * @throws IncompatibleModelException if the format or version is unknown
   */
  public static IsolationForest fromTree(JsonNode tree, String source) {
    try {
      return fromJson(tree, source);
    } catch (IllegalArgumentException | NullPointerException e) {
      if (e instanceof IncompatibleModelException i) {
        throw i;
      }
      throw new IncompatibleModelException(
          source + " is not a readable isolation forest state: " + e.getMessage());
    }
  }

  /** The model's state in the current format, as UTF-8 JSON bytes (for a model registry). */
  public static byte[] toBytes(IsolationForest model) {
    try {
      return JSON.writeValueAsBytes(toJson(model));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the isolation forest state", e);
    }
  }

  /**
   * Reads a model from {@link #toBytes} bytes and checks that it was trained on {@code expected}.
   *
   * @param source what the bytes are, for messages (e.g. {@code registry entry checkout v3})
   * @throws IncompatibleModelException if the format or version is unknown or the schema differs
   */
  public static IsolationForest fromBytes(byte[] bytes, String source, FeatureSchema expected) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IncompatibleModelException(source + " is not JSON: " + e.getMessage());
    }
    IsolationForest model = fromJson(root, source);
    expected.requireSame(model.provenance().featureSchemaHash(), "isolation forest " + source);
    return model;
  }

  static ObjectNode toJson(IsolationForest model) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", CURRENT_VERSION);
    ModelProvenance p = model.provenance();
    ObjectNode prov = root.putObject("provenance");
    prov.put("trainer", p.trainer());
    ObjectNode config = prov.putObject("trainerConfig");
    p.trainerConfig().forEach(config::put);
    prov.put("dataStart", p.dataStart().toString());
    prov.put("dataEnd", p.dataEnd().toString());
    prov.put("rows", p.rows());
    prov.put("featureSchemaHash", p.featureSchemaHash());
    prov.put("seed", p.seed());
    prov.put("codeVersion", p.codeVersion());
    prov.put("trainedAt", p.trainedAt().toString());
    ObjectNode schema = root.putObject("schema");
    ArrayNode features = schema.putArray("features");
    model.schema().features().forEach(features::add);
    schema.put("transform", model.schema().transform());
    root.put("sampleSize", model.sampleSize());
    root.put("threshold", model.threshold());
    ArrayNode trees = root.putArray("trees");
    for (IsolationTree t : model.trees()) {
      ObjectNode tree = trees.addObject();
      ArrayNode feature = tree.putArray("feature");
      ArrayNode split = tree.putArray("split");
      ArrayNode left = tree.putArray("left");
      ArrayNode right = tree.putArray("right");
      ArrayNode size = tree.putArray("size");
      for (int i = 0; i < t.nodeCount(); i++) {
        feature.add(t.feature[i]);
        split.add(t.split[i]);
        left.add(t.left[i]);
        right.add(t.right[i]);
        size.add(t.size[i]);
      }
    }
    return root;
  }

  static IsolationForest fromJson(JsonNode root, String source) {
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new IncompatibleModelException(
          source
              + " is not an isolation forest state (format '"
              + root.path("format").asText()
              + "', expected '"
              + FORMAT
              + "')");
    }
    int version = root.path("version").asInt(-1);
    if (version < 1 || version > CURRENT_VERSION) {
      throw new IncompatibleModelException(
          source
              + " has isolation forest state version "
              + version
              + "; this Vigil reads 1.."
              + CURRENT_VERSION);
    }
    JsonNode prov = root.required("provenance");
    Map<String, String> config = new LinkedHashMap<>();
    prov.required("trainerConfig")
        .properties()
        .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
    ModelProvenance provenance =
        new ModelProvenance(
            prov.required("trainer").asText(),
            config,
            Instant.parse(prov.required("dataStart").asText()),
            Instant.parse(prov.required("dataEnd").asText()),
            prov.required("rows").asLong(),
            prov.required("featureSchemaHash").asText(),
            prov.required("seed").asLong(),
            prov.required("codeVersion").asText(),
            Instant.parse(prov.required("trainedAt").asText()));
    JsonNode s = root.required("schema");
    List<String> names = new ArrayList<>();
    s.required("features").forEach(n -> names.add(n.asText()));
    FeatureSchema schema = new FeatureSchema(names, s.required("transform").asText());
    List<IsolationTree> trees = new ArrayList<>();
    for (JsonNode t : root.required("trees")) {
      int n = t.required("feature").size();
      int[] feature = new int[n];
      double[] split = new double[n];
      int[] left = new int[n];
      int[] right = new int[n];
      int[] size = new int[n];
      for (int i = 0; i < n; i++) {
        feature[i] = t.get("feature").get(i).asInt();
        split[i] = t.required("split").get(i).asDouble();
        left[i] = t.required("left").get(i).asInt();
        right[i] = t.required("right").get(i).asInt();
        size[i] = t.required("size").get(i).asInt();
      }
      trees.add(new IsolationTree(feature, split, left, right, size));
    }
    return new IsolationForest(
        schema,
        trees,
        root.required("sampleSize").asInt(),
        root.required("threshold").asDouble(),
        provenance);
  }
}
